import Foundation

/// Speech made at test time by espeak-ng, resampled by sox to 8 kHz signed 16-bit: real voiced
/// audio for detectors and recognisers without committing recordings.
public enum SynthesizedSpeech {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "espeak-ng and sox are needed (scripts/setup installs them)" }
    }

    public static func samples(_ text: String, voice: String = "en-us") throws -> [Int16] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "espeak-ng -v \"$2\" -s 165 --stdout \"$1\" | sox -t wav - -t raw -r 8000 -e signed -b 16 -c 1 -", "sh", text, voice]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, data.count > 1000 else { throw Unavailable() }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }
}
