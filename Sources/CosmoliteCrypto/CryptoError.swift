// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// An error thrown by CosmoliteCrypto.
///
/// Messages are compile-time constants (`StaticString`), so no runtime data, and in particular no key
/// material, plaintext or tag bytes, can ever appear in an error's `description`.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; compare against the static members, e.g. `error.code == .authenticationFailed`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable name of the code, e.g. `"authenticationFailed"`.
        public let rawValue: String

        /// Creates a code from its stable name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The authentication tag did not verify: wrong key, nonce or associated data, or tampered data.
        public static let authenticationFailed = Code(rawValue: "authenticationFailed")
        /// The key has the wrong length for the operation.
        public static let invalidKeySize = Code(rawValue: "invalidKeySize")
        /// The nonce has the wrong length for the operation.
        public static let invalidNonceSize = Code(rawValue: "invalidNonceSize")
        /// An argument is malformed (negative count, truncated sealed box, wrong tag length, ...).
        public static let invalidInput = Code(rawValue: "invalidInput")
        /// The random number generator failed. The corresponding OpenSSL function is `RAND_bytes`.
        public static let randomFailure = Code(rawValue: "randomFailure")
        /// Any other OpenSSL call failed.
        public static let openSSLFailure = Code(rawValue: "openSSLFailure")

        /// The stable name of the code.
        public var description: String { rawValue }
    }

    /// The kind of failure.
    public let code: Code

    /// The first code taken from OpenSSL's thread error queue when the failure came from OpenSSL, else `nil`.
    /// The corresponding OpenSSL function is `ERR_get_error`.
    public let openSSLErrorCode: UInt?

    /// A fixed, secret-free explanation.
    let detail: StaticString

    /// Creates an error that did not come from OpenSSL's error queue.
    init(_ code: Code, _ detail: StaticString) {
        self.code = code
        self.detail = detail
        self.openSSLErrorCode = nil
    }

    /// Creates an error for a failed OpenSSL call, taking the first queued OpenSSL error and clearing the
    /// rest of this thread's queue so later calls start clean.
    static func fromOpenSSL(_ code: Code, _ detail: StaticString) -> CryptoError {
        let queued = ERR_get_error()
        ERR_clear_error()
        return CryptoError(code: code, detail: detail, openSSLErrorCode: queued == 0 ? nil : UInt(queued))
    }

    private init(code: Code, detail: StaticString, openSSLErrorCode: UInt?) {
        self.code = code
        self.detail = detail
        self.openSSLErrorCode = openSSLErrorCode
    }

    /// A human-readable, secret-free description: the code, a fixed message and, when present, the
    /// OpenSSL error code with OpenSSL's static reason string.
    /// The corresponding OpenSSL function is `ERR_reason_error_string`.
    public var description: String {
        var text = "CryptoError(\(code.rawValue)): \(detail)"
        if let openSSLErrorCode {
            text += " [OpenSSL error 0x\(String(openSSLErrorCode, radix: 16))"
            if let reason = ERR_reason_error_string(CUnsignedLong(openSSLErrorCode)) {
                text += ": \(String(cString: reason))"
            }
            text += "]"
        }
        return text
    }
}
