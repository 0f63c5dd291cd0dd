import Foundation
import Testing
@testable import ARI

@Suite struct JSONValueTests {
    @Test(arguments: [
        (#"{"a":1,"b":[true,false,null],"c":"x"}"#, JSONValue.object(["a": 1, "b": [true, false, nil], "c": "x"])),
        (#"  [ -12 , 3.5 , 1e3, -0.25E-2 ] "#, JSONValue.array([.integer(-12), .number(3.5), .integer(1000), .number(-0.0025)])),
        (#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#, JSONValue.string("\"\\/\u{08}\u{0C}\n\r\té😀")),
        (#""caf\u00E9 açaí""#, JSONValue.string("café açaí")),
        (#"9223372036854775807"#, .integer(Int.max)),
        (#"-9223372036854775808"#, .integer(Int.min)),
        (#"9223372036854775808"#, .number(9_223_372_036_854_775_808.0)),
        (#"{}"#, JSONValue.object([:])),
        (#"[]"#, JSONValue.array([])),
    ])
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
    }

    // Foundation's decoder accepts a trailing comma ("[1,]"): harmless, and not ura's to refuse.
    @Test(arguments: [
        "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{a:1}", "[1 2]", "01", "-", "1.", "1e",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\u{01}b\"", "[1] x", "{\"a\":1}}", "NaN", "'a'",
    ])
    func rejectsMalformedDocuments(text: String) {
        #expect {
            try JSONValue.parse(Data(text.utf8))
        } throws: { error in
            error is ARIDecodingError
        }
    }

    @Test func rejectsNestingThatWouldExhaustTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ARIDecodingError.self) { try JSONValue.parse(Data(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue.parse(Data(fine.utf8)) }
    }

    @Test func repairsInvalidUTF8InsteadOfFailing() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try JSONValue.parse(Data(bytes)) == .string("a\u{FFFD}b"))
    }

    @Test func duplicatedKeyDoesNotCostTheDocument() throws {
        let value = try JSONValue.parse(Data(#"{"k":1,"k":2}"#.utf8))
        #expect(value.objectValue?.count == 1)
        #expect(value.objectValue?["k"] == 1)
    }

    @Test(arguments: [
        JSONValue.object(["s": "a\"b\\c\n\u{01}é", "i": -5, "d": 0.5, "t": true, "n": nil, "l": [1, "x", [:]]]),
        .array([.integer(0), .number(1e-9), .string("")]),
    ])
    func textRoundTripsThroughFoundation(value: JSONValue) throws {
        // Foundation reads what we write, back to the same value.
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: value.jsonData, options: [.fragmentsAllowed]) }
        #expect(try JSONValue.parse(value.jsonData) == value)
    }

    @Test func numbersAndBooleansAreWrittenAsJSONTypes() {
        let body: JSONValue = ["timeout": 30, "beep": true, "name": "30"]
        #expect(body.jsonText == #"{"timeout":30,"beep":true,"name":"30"}"#)
    }
}
