import IgniteProtocol

/// Binary type metadata known to the client: types registered with the server and schemas fetched from it.
final class BinaryMetadata: @unchecked Sendable {
    let compactFooterSetting: Bool?
    private let mutex = PThreadMutex()

    init(compactFooter: Bool?) {
        compactFooterSetting = compactFooter
    }
}
