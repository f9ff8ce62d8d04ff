// Replaced by the sync client.
enum IgniteSyncPlaceholder {}
