// Values that carry the password print and reflect without it: `description`, `debugDescription` (`String(reflecting:)`)
// and `dump` or a debugger (`customMirror`) all show "<redacted>" in its place.

/// How a password shows in descriptions.
func redacted(_ password: String?) -> String { password == nil ? "none" : "<redacted>" }

extension ConnectionStateMachine.Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The settings, without the password.
    public var description: String {
        var parts = ["initialVersion: \(initialVersion)", "features: \(features)"]
        if let username { parts.append("user: \(username)") }
        parts.append("password: \(redacted(password))")
        if let userAttributes { parts.append("userAttributes: \(userAttributes.count)") }
        return "ConnectionStateMachine.Configuration(\(parts.joined(separator: ", ")))"
    }

    /// As ``description``.
    public var debugDescription: String { description }

    /// The settings for `dump` and debuggers, with the password redacted.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "initialVersion": initialVersion, "supportedVersions": supportedVersions, "features": features,
            "username": username as Any, "password": redacted(password), "userAttributes": userAttributes as Any,
        ], displayStyle: .struct)
    }
}

extension ConnectionStateMachine: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The state and the number of pending requests; the configuration without the password.
    public var description: String {
        "ConnectionStateMachine(state: \(state), pending: \(pendingRequestCount), configuration: \(configuration))"
    }

    /// As ``description``.
    public var debugDescription: String { description }

    /// The state for `dump` and debuggers, with the configuration's password redacted.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "state": state, "pendingRequests": pendingRequestCount, "topologyVersion": topologyVersion as Any,
            "configuration": configuration,
        ], displayStyle: .struct)
    }
}

extension HandshakeRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The request, without the password.
    public var description: String {
        var parts = ["version: \(version)", "features: \(features)"]
        if let username { parts.append("user: \(username)") }
        parts.append("password: \(redacted(password))")
        if let userAttributes { parts.append("userAttributes: \(userAttributes.count)") }
        if clientType != HandshakeRequest.thinClientType { parts.append("clientType: \(clientType)") }
        return "HandshakeRequest(\(parts.joined(separator: ", ")))"
    }

    /// As ``description``.
    public var debugDescription: String { description }

    /// The request for `dump` and debuggers, with the password redacted.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "version": version, "features": features, "username": username as Any, "password": redacted(password),
            "userAttributes": userAttributes as Any, "clientType": clientType,
        ], displayStyle: .struct)
    }
}
