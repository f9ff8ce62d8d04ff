// `import IgniteAsync` is all an application needs: the value types (IgniteValue, BinaryObject, CacheConfiguration,
// ExpiryPolicy, ...) come with it.
@_exported import IgniteProtocol
