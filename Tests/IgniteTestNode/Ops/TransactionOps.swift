import IgniteProtocol

extension RequestHandler {
    /// OP_TX_START: `i8 concurrency, i8 isolation, i64 timeout, String label` → `i32 txId` (per connection, from 1).
    func txStart(_ reader: inout BinaryReader) throws -> OpResult {
        let concurrency = try reader.readInt8()
        let isolation = try reader.readInt8()
        let timeout = try reader.readInt64()
        let label = try reader.readOptionalStringObject()
        let limit = configuration.maxActiveTransactionsPerConnection
        let now = MonotonicClock.now()
        return session.state.withLock { state in
            guard state.transactions.count < limit else { return .failure(ServerStatus.txLimitExceeded, ServerMessages.txLimit(limit)) }
            let id = state.nextTransactionId
            state.nextTransactionId = id == Int32.max ? 1 : id + 1
            state.transactions[id] = TransactionState(id: id, concurrency: concurrency, isolation: isolation,
                                                      timeoutMilliseconds: timeout, label: label, startedAt: now)
            return .body { $0.writeInt32(id) }
        }
    }

    /// OP_TX_END: `i32 txId, bool commit`. Unknown ids → 1021; a timed-out transaction's commit → 1022.
    func txEnd(_ reader: inout BinaryReader) throws -> OpResult {
        let id = try reader.readInt32()
        let commit = try reader.readBool()
        let now = MonotonicClock.now()
        return session.state.withLock { state in
            guard let tx = state.transactions.removeValue(forKey: id) else {
                return .failure(ServerStatus.txNotFound, ServerMessages.txNotFound(id))
            }
            guard commit else { return .empty }
            if tx.timedOut || tx.hasTimedOut(at: now) {
                return .failure(ServerStatus.txTimedOut, ServerMessages.txTimedOut(tx))
            }
            return core.data.withLock { data in
                let writesSomething = tx.writes.values.contains { !$0.isEmpty }
                if writesSomething, data.state == .activeReadOnly, let cacheId = tx.writes.first(where: { !$0.value.isEmpty })?.key {
                    let cache = data.caches[cacheId]
                    return .failure(ServerStatus.failed, ServerMessages.readOnly(cache: cache?.name ?? "", group: cache?.configuration.groupName))
                }
                data.commit(tx, now: now)
                return .empty
            }
        }
    }
}
