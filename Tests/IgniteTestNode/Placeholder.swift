// Replaced by the test node.
enum IgniteTestNodePlaceholder {}
