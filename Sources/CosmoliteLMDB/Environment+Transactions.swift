// SPDX-License-Identifier: Apache-2.0

extension Environment {
    /// Runs `body` in a read-only transaction: a consistent snapshot of the data as of the start of the call.
    ///
    /// Read transactions run concurrently with each other and with the writer. They are pooled: the handle is
    /// reset afterwards and renewed by a later `read`. The transaction and every buffer obtained from it are valid
    /// only inside `body`; the transaction cannot escape. Keep bodies short: a long read keeps old pages from being
    /// reused and holds up map growth. Must not be called inside another transaction body of this environment.
    ///
    /// Rethrows the error thrown by `body`, unchanged; throws `LMDBError` if the transaction cannot start.
    /// The corresponding LMDB functions are `mdb_txn_begin`, `mdb_txn_renew` and `mdb_txn_reset`.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        let transaction = Transaction(handle: try beginRead(), environment: self, isReadOnly: true)
        // Two exits rather than a `Result`: a generic `Result<R, Error>` costs a metadata lookup on every read.
        do {
            let value = try body(transaction)
            readPool.push(transaction.resetForReuse())
            gate.unlockShared()
            return value
        } catch {
            readPool.push(transaction.resetForReuse())
            gate.unlockShared()
            throw error
        }
    }

    /// Runs `body` in a read-write transaction and commits it when `body` returns; if `body` throws, the
    /// transaction is aborted (nothing it wrote remains) and the error is rethrown unchanged.
    ///
    /// Write transactions are serialized: in this process by a lock, across processes by LMDB's writer lock.
    ///
    /// **The body may run more than once.** When the map is full (`MDB_MAP_FULL` from any write or from the
    /// commit), the transaction is aborted, the map grows (doubling, by at least 64 MiB and at most 1 GiB per
    /// step) and `body` runs again from the start in a new transaction, so `MDB_MAP_FULL` never reaches the caller.
    /// This also happens if `body` catches the error itself. `body` must therefore have no effects outside the
    /// transaction (or only idempotent ones), and must compute everything it writes from what it reads in the
    /// transaction. The map also grows before a transaction starts when more than 85 % of it is in use.
    ///
    /// The transaction and every buffer obtained from it are valid only inside `body`. Must not be called inside
    /// another transaction body of this environment, nor on a read-only environment (both stop the process).
    /// With `Durability.durable`, the data is on disk when `write` returns.
    /// The corresponding LMDB functions are `mdb_txn_begin`, `mdb_txn_commit` and `mdb_txn_abort`.
    @discardableResult
    public func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        precondition(!configuration.readOnly, "write(_:) called on the read-only environment at \(path)")
        gate.preconditionOutsideTransaction("write(_:)")
        writerLock.lock()
        defer { writerLock.unlock() }
        while true {
            let transaction = Transaction(handle: try beginWrite(), environment: self, isReadOnly: false)
            writeHitMapFull = false
            let outcome: Result<R, any Error>
            do {
                outcome = .success(try body(transaction))
            } catch {
                outcome = .failure(error)
            }
            if writeHitMapFull {
                transaction.abort()
                gate.unlockShared()
                try growMap()
                continue
            }
            switch outcome {
            case .success(let value):
                do throws(LMDBError) {
                    try transaction.commit()
                } catch {
                    gate.unlockShared()
                    guard error.code == .mapFull else {
                        throw error
                    }
                    try growMap()
                    continue
                }
                gate.unlockShared()
                return value
            case .failure(let error):
                transaction.abort()
                gate.unlockShared()
                throw error
            }
        }
    }

    /// Takes the gate shared and starts (or renews) a read transaction, adopting a map grown by another process.
    /// On success the caller holds the gate shared; on failure it does not.
    private func beginRead() throws(LMDBError) -> OpaquePointer {
        while true {
            gate.lockShared(for: "read(_:)")
            let started = Result { () throws(LMDBError) -> OpaquePointer in
                guard let pooled = readPool.pop() else {
                    return try LMDBCalls.beginTransaction(handle, readOnly: true)
                }
                do throws(LMDBError) {
                    try LMDBCalls.renew(pooled)
                } catch {
                    LMDBCalls.abort(pooled)
                    throw error
                }
                return pooled
            }
            switch started {
            case .success(let transaction):
                return transaction
            case .failure(let error):
                gate.unlockShared()
                guard error.code == .mapResized else {
                    throw error
                }
                try adoptExternalMapSize()
            }
        }
    }

    /// Takes the gate shared and starts a write transaction, growing the map first when it is nearly full and
    /// adopting a map grown by another process. The caller holds `writerLock`. On success the caller holds the
    /// gate shared; on failure it does not.
    private func beginWrite() throws(LMDBError) -> OpaquePointer {
        while true {
            gate.lockShared(for: "write(_:)")
            let started = Result { () throws(LMDBError) -> OpaquePointer? in
                if try isNearlyFull() {
                    return nil
                }
                return try LMDBCalls.beginTransaction(handle, readOnly: false)
            }
            switch started {
            case .success(let transaction?):
                return transaction
            case .success(nil):
                gate.unlockShared()
                try growMap()
            case .failure(let error):
                gate.unlockShared()
                guard error.code == .mapResized else {
                    throw error
                }
                try adoptExternalMapSize()
            }
        }
    }
}
