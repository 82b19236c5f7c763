// SPDX-License-Identifier: Apache-2.0

// MARK: - OrderedDecoder

/// Decodes components written by ``OrderedEncoding``; `flip` is `0xFF` for descending components.
struct OrderedDecoder {
    let bytes: UnsafeRawBufferPointer
    let flip: UInt8

    func byte(_ i: Int) throws(JSONError) -> UInt8 {
        guard i >= 0, i < bytes.count else { throw malformed("truncated component", at: i) }
        return bytes[i] ^ flip
    }

    func malformed(_ message: String, at offset: Int) -> JSONError {
        JSONError(code: .invalidEncoding, byteOffset: offset, message: message)
    }

    func digest(at i: Int) throws(JSONError) -> [UInt8] {
        guard i + OrderedEncoding.digestLength <= bytes.count else { throw malformed("truncated digest", at: i) }
        return (i..<i + OrderedEncoding.digestLength).map { bytes[$0] ^ flip }
    }

    func component(at i: Int, depth: Int) throws(JSONError) -> (component: OrderedEncoding.Component, end: Int) {
        let tag = try byte(i)
        switch tag {
        case OrderedEncoding.tagUndefined:
            return (.value(nil), i + 1)
        case OrderedEncoding.tagNull:
            return (.value(.null), i + 1)
        case OrderedEncoding.tagFalse:
            return (.value(.bool(false)), i + 1)
        case OrderedEncoding.tagTrue:
            return (.value(.bool(true)), i + 1)
        case OrderedEncoding.tagNumber:
            guard i + 9 <= bytes.count else { throw malformed("truncated number", at: i) }
            var ordered: UInt64 = 0
            for k in 1...8 { ordered = ordered << 8 | UInt64(bytes[i + k] ^ flip) }
            return (.value(.number(OrderedEncoding.number(fromOrderedBits: ordered))), i + 9)
        case OrderedEncoding.tagString:
            guard let scan = OrderedEncoding.stringEnd(bytes, from: i + 1, flip: flip) else {
                throw malformed("unterminated string", at: i)
            }
            let raw = unescape(from: i + 1, to: scan.bodyEnd)
            if scan.truncated {
                let prefix = String(decoding: raw, as: UTF8.self)
                return (.truncatedString(prefix: prefix, digest: try digest(at: scan.bodyEnd + 2)), scan.end)
            }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw malformed("string is not valid UTF-8", at: i)
            }
            return (.value(.string(text)), scan.end)
        case OrderedEncoding.tagArray, OrderedEncoding.tagObject:
            if try byte(i + 1) == 0x00 {
                let hash = try digest(at: i + 2)
                return (tag == OrderedEncoding.tagArray ? .hashedArray(digest: hash) : .hashedObject(digest: hash),
                        i + 2 + OrderedEncoding.digestLength)
            }
            guard depth < OrderedEncoding.maxDecodeDepth else { throw malformed("nesting too deep", at: i) }
            return tag == OrderedEncoding.tagArray ? try array(at: i, depth: depth) : try object(at: i, depth: depth)
        default:
            throw malformed("invalid tag byte", at: i)
        }
    }

    func array(at start: Int, depth: Int) throws(JSONError) -> (component: OrderedEncoding.Component, end: Int) {
        var elements: [JSONValue] = []
        var i = start + 1
        while try byte(i) != OrderedEncoding.terminator {
            let element = try component(at: i, depth: depth + 1)
            guard case .value(let value?) = element.component else {
                throw malformed("array element is not a full-form value", at: i)
            }
            elements.append(value)
            i = element.end
        }
        return (.value(.array(elements)), i + 1)
    }

    func object(at start: Int, depth: Int) throws(JSONError) -> (component: OrderedEncoding.Component, end: Int) {
        var object = JSONObject()
        var i = start + 1
        while try byte(i) != OrderedEncoding.terminator {
            let key = try component(at: i, depth: depth + 1)
            guard case .value(.string(let name)?) = key.component else {
                throw malformed("object key is not a full-form string", at: i)
            }
            let member = try component(at: key.end, depth: depth + 1)
            guard case .value(let value?) = member.component else {
                throw malformed("object member is not a full-form value", at: key.end)
            }
            guard object.appendIfAbsent(key: name, value: value) == nil else {
                throw malformed("duplicate object key", at: i)
            }
            i = member.end
        }
        return (.value(.object(object)), i + 1)
    }

    func unescape(from start: Int, to end: Int) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(end - start)
        var i = start
        while i < end {
            let b = bytes[i] ^ flip
            raw.append(b)
            i += b == 0 ? 2 : 1
        }
        return raw
    }
}
