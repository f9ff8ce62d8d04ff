/// The requests of one connection awaiting their responses, by request id: id → waiter (an op code in the
/// ``ConnectionStateMachine``, a continuation or a condition in the drivers).
///
/// Request ids are issued in increasing order and replies mostly come back in order, so the table is a window of
/// slots over a run of consecutive ids (a ring buffer indexed by `id - firstId`) rather than a hash table: an
/// insert, a lookup and a removal are a few instructions each, with no hashing and no allocation once the ring has
/// grown to the number in flight. Rules:
/// * ids only increase: ``insert(_:_:)`` takes an id above every id inserted before; an id not above is refused
///   (`false`), and nothing changes;
/// * a removed id is gone: a second ``remove(_:)`` of it (a late reply to a request that timed out or was
///   cancelled) returns `nil`, and ``classify(_:)`` tells such a late id (at most ``lastId``) from one never issued;
/// * ids skipped (issued to requests that wait for nothing, such as fire-and-forget resource closes) cost an empty
///   slot while younger requests are in flight;
/// * a request that stays in flight while many younger ones come and go does not make the window grow without
///   bound: once the window spans far more ids than are in flight, the oldest entries move to a small side table.
///
/// A plain value, not thread-safe: the owner keeps it under its own lock, like the state machines.
package struct PendingRequests<Value> {
    /// The ring; its count is a power of two. Slots outside the window are `nil`.
    @usableFromInline var slots: [Value?]
    /// The ring index of ``firstId``'s slot.
    @usableFromInline var head = 0
    /// The id of the window's first slot (meaningful while ``span`` > 0).
    @usableFromInline var firstId: Int64 = 0
    /// How many consecutive ids the window covers; its first and last slots are never empty.
    @usableFromInline var span = 0
    /// Entries older than the window (see the type's rules); usually empty.
    @usableFromInline var overflow: [Int64: Value] = [:]
    @usableFromInline var registered = 0
    @usableFromInline var highestId: Int64 = 0

    /// How many requests are registered.
    @inlinable
    package var count: Int { registered }
    /// The highest id inserted so far (0 before the first).
    @inlinable
    package var lastId: Int64 { highestId }

    /// What an id is to the table, for a reply that carries it.
    package enum Classification: Equatable, Sendable {
        /// Registered: its reply is awaited.
        case pending
        /// Inserted once and removed since (answered, timed out or cancelled): a reply to it is late.
        case late
        /// Above every id inserted (or not positive): never issued here.
        case unknown
    }

    /// Creates an empty table.
    /// - Parameter capacity: Ring slots to start with (rounded up to a power of two, at least 8).
    @inlinable
    package init(capacity: Int = 16) {
        var size = 8
        while size < capacity { size <<= 1 }
        slots = Array(repeating: nil, count: size)
    }

    /// Whether no request is registered.
    @inlinable
    package var isEmpty: Bool { count == 0 }

    /// The most ids the window may span before its oldest entries move to the side table.
    @inlinable
    var windowLimit: Int { 4096 &+ 2 &* count }

    /// Registers `value` under `id`.
    /// - Parameters:
    ///   - id: The request id: above every id inserted before.
    ///   - value: The waiter.
    /// - Returns: `false` (and nothing changes) when `id` is not above ``lastId``.
    @inlinable
    @discardableResult
    package mutating func insert(_ id: Int64, _ value: Value) -> Bool {
        guard id > highestId else { return false }
        highestId = id
        registered &+= 1
        if span == 0 {
            head = 0
            firstId = id
            span = 1
            slots[0] = value
            return true
        }
        // The window would cover firstId...id.
        while span > 0, id &- firstId >= Int64(windowLimit) { evictFirst() }
        if span == 0 {
            head = 0
            firstId = id
            span = 1
            slots[0] = value
            return true
        }
        let needed = Int(id &- firstId) &+ 1
        if needed > slots.count { grow(to: needed) }
        slots[(head &+ needed &- 1) & (slots.count &- 1)] = value
        span = needed
        return true
    }

    /// Removes and returns the waiter of `id`; `nil` if it is not registered (never was, or was removed).
    @inlinable
    package mutating func remove(_ id: Int64) -> Value? {
        let offset = id &- firstId
        if span > 0, offset >= 0, offset < Int64(span) {
            let mask = slots.count &- 1
            let index = (head &+ Int(offset)) & mask
            guard let value = slots[index] else { return nil }
            slots[index] = nil
            registered &-= 1
            if offset == 0 {
                trimFront()
            } else if offset == Int64(span &- 1) {
                trimBack()
            }
            return value
        }
        if overflow.isEmpty { return nil }
        guard let value = overflow.removeValue(forKey: id) else { return nil }
        registered &-= 1
        return value
    }

    /// The waiter of `id`, if registered.
    @inlinable
    package func value(for id: Int64) -> Value? {
        let offset = id &- firstId
        if span > 0, offset >= 0, offset < Int64(span) {
            return slots[(head &+ Int(offset)) & (slots.count &- 1)]
        }
        return overflow.isEmpty ? nil : overflow[id]
    }

    /// Whether `id` is registered.
    @inlinable
    package func contains(_ id: Int64) -> Bool { value(for: id) != nil }

    /// Whether a reply carrying `id` is awaited, late, or for an id never issued.
    @inlinable
    package func classify(_ id: Int64) -> Classification {
        if contains(id) { return .pending }
        return id > 0 && id <= lastId ? .late : .unknown
    }

    /// Some registered waiter (the oldest in the window), if any.
    package var first: Value? {
        if span > 0 { return slots[head] }
        return overflow.first?.value
    }

    /// Every registered id and waiter, by increasing id.
    package var entries: [(id: Int64, value: Value)] {
        var all: [(id: Int64, value: Value)] = overflow.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        all.reserveCapacity(count)
        let mask = slots.count &- 1
        for offset in 0..<span {
            if let value = slots[(head &+ offset) & mask] { all.append((firstId &+ Int64(offset), value)) }
        }
        return all
    }

    /// Every registered id, increasing.
    package var ids: [Int64] { entries.map(\.id) }

    /// Removes every waiter and returns them with their ids, by increasing id. Ids stay used: ``lastId`` is kept,
    /// so a reply to one of them is still ``Classification/late``.
    @discardableResult
    package mutating func removeAll() -> [(id: Int64, value: Value)] {
        let all = entries
        let mask = slots.count &- 1
        for offset in 0..<span { slots[(head &+ offset) & mask] = nil }
        span = 0
        head = 0
        overflow.removeAll()
        registered = 0
        return all
    }

    // MARK: Window upkeep

    /// Drops empty slots from the front of the window.
    @inlinable
    mutating func trimFront() {
        let mask = slots.count &- 1
        while span > 0, slots[head] == nil {
            head = (head &+ 1) & mask
            firstId &+= 1
            span &-= 1
        }
    }

    /// Drops empty slots from the back of the window.
    @inlinable
    mutating func trimBack() {
        let mask = slots.count &- 1
        while span > 0, slots[(head &+ span &- 1) & mask] == nil { span &-= 1 }
    }

    /// Moves the window's first entry to the side table.
    @usableFromInline
    mutating func evictFirst() {
        if let value = slots[head] {
            overflow[firstId] = value
            slots[head] = nil
        }
        trimFront()
    }

    /// Grows the ring to hold at least `needed` slots, keeping the window in id order.
    @usableFromInline
    mutating func grow(to needed: Int) {
        var size = slots.count
        while size < needed { size <<= 1 }
        var larger = [Value?](repeating: nil, count: size)
        let mask = slots.count &- 1
        for offset in 0..<span { larger[offset] = slots[(head &+ offset) & mask] }
        slots = larger
        head = 0
    }
}

extension PendingRequests: Sendable where Value: Sendable {}

/// A ``PendingRequests`` table of class instances (a driver's waiters), for drivers in other modules.
///
/// Generic code is specialised only inside the module that defines it (the `@inlinable` bodies of `package`
/// declarations are not inlined across modules), so a driver using ``PendingRequests`` with its own waiter type
/// would run the unspecialised code, with its metadata lookups, on every request. This wrapper keeps a
/// `PendingRequests<AnyObject>`, specialised here once, and casts at the edge: a cast to a class type costs nothing.
package struct PendingObjects<Object: AnyObject>: Sequence {
    private var table = PendingRequests<AnyObject>()

    /// Creates an empty table.
    package init() {}

    /// How many requests are registered.
    package var count: Int { table.count }

    /// Whether no request is registered.
    package var isEmpty: Bool { table.isEmpty }

    /// The highest id inserted so far.
    package var lastId: Int64 { table.lastId }

    /// Registers `object` under `id` (see ``PendingRequests/insert(_:_:)``).
    @discardableResult
    package mutating func insert(_ id: Int64, _ object: Object) -> Bool { table.insert(id, object) }

    /// Removes and returns the object of `id`, if registered.
    package mutating func remove(_ id: Int64) -> Object? {
        guard let object = table.remove(id) else { return nil }
        return unsafeDowncast(object, to: Object.self)
    }

    /// The object of `id`, if registered.
    package func value(for id: Int64) -> Object? {
        guard let object = table.value(for: id) else { return nil }
        return unsafeDowncast(object, to: Object.self)
    }

    /// Whether a reply carrying `id` is awaited, late, or for an id never issued.
    package func classify(_ id: Int64) -> PendingRequests<AnyObject>.Classification { table.classify(id) }

    /// Some registered object (the oldest in the window), if any.
    package var first: Object? {
        guard !table.isEmpty, let object = table.first else { return nil }
        return unsafeDowncast(object, to: Object.self)
    }

    /// Every registered id and object, by increasing id.
    package var entries: [(id: Int64, value: Object)] {
        table.entries.map { ($0.id, unsafeDowncast($0.value, to: Object.self)) }
    }

    // Dictionary spellings, so that a driver can switch from `[Int64: Waiter]` without touching its call sites.

    /// The object of `id`; setting an object registers it (``insert(_:_:)``), setting `nil` removes it.
    package subscript(id: Int64) -> Object? {
        get { value(for: id) }
        set {
            if let newValue { insert(id, newValue) } else { _ = remove(id) }
        }
    }

    /// ``remove(_:)``.
    @discardableResult
    package mutating func removeValue(forKey id: Int64) -> Object? { remove(id) }

    /// Every registered object, by increasing id.
    package var values: [Object] { entries.map(\.value) }

    /// Iterates over ``entries``.
    package func makeIterator() -> IndexingIterator<[(id: Int64, value: Object)]> { entries.makeIterator() }

    /// Removes every object and returns them with their ids, by increasing id.
    @discardableResult
    package mutating func removeAll() -> [(id: Int64, value: Object)] {
        table.removeAll().map { ($0.id, unsafeDowncast($0.value, to: Object.self)) }
    }
}
