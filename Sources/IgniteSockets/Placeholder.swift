// Replaced by the TCP transport.
enum IgniteSocketsPlaceholder {}
