import Foundation
import Synchronization
import Voice

/// A speech-to-speech model whose answers are scripted: each `respond` is answered, after
/// `firstAudioDelay`, with the next of ``answers`` (a tone of 20 ms frames and its transcript, or
/// a call action without audio; when they run out, `reply` again and again). Its turn detection
/// is either the test's (``emit(_:)``) or, with `turnSilence`, its own on the audio appended:
/// speech after 100 ms above the level, its end after `turnSilence` below, then `heard` as the
/// caller's transcript.
public final class ScriptedSpeechModel: SpeechToSpeechModel {
    public enum Answer: Sendable {
        case say(String, frames: Int)
        case act(CallAction)
    }

    public let name = "scripted-s2s"
    fileprivate struct State {
        var answers: [Answer]
        var continuation: AsyncStream<SpeechToSpeechEvent>.Continuation?
        public var responds: [String?] = []
        public var truncates: [(item: String, milliseconds: Int)] = []
        var cancels = 0
        public var callerTexts: [String] = []
        var appended = 0
        var opened = 0
        var item = 0
        var voiced: Duration = .zero
        var unvoiced: Duration = .zero
        var speaking = false
    }
    private let state: Mutex<State>
    private let reply: Answer?
    private let firstAudioDelay: Duration
    private let turnSilence: Duration?
    private let heard: String

    public init(answers: [Answer], reply: Answer? = nil, firstAudioDelay: Duration = .zero, turnSilence: Duration? = nil, heard: String = "") {
        state = Mutex(State(answers: answers))
        self.reply = reply
        self.firstAudioDelay = firstAudioDelay
        self.turnSilence = turnSilence
        self.heard = heard
    }

    public var responds: [String?] { state.withLock { $0.responds } }
    public var truncates: [(item: String, milliseconds: Int)] { state.withLock { $0.truncates } }
    public var cancels: Int { state.withLock { $0.cancels } }
    public var callerTexts: [String] { state.withLock { $0.callerTexts } }
    public var appendedFrames: Int { state.withLock { $0.appended } }

    public func emit(_ event: SpeechToSpeechEvent) { _ = state.withLock { $0.continuation?.yield(event) } }

    public func open(_ conversation: Conversation, sampleRate: Int, encoding: LineEncoding) -> any SpeechToSpeechSession {
        let (events, continuation) = AsyncStream<SpeechToSpeechEvent>.makeStream()
        state.withLock {
            $0.continuation = continuation
            $0.opened += 1
        }
        return Session(model: self, events: events)
    }

    fileprivate func respond(_ instructions: String?) {
        let (answer, item, continuation) = state.withLock { state -> (Answer?, Int, AsyncStream<SpeechToSpeechEvent>.Continuation?) in
            state.responds.append(instructions)
            state.item += 1
            return (state.answers.isEmpty ? reply : state.answers.removeFirst(), state.item, state.continuation)
        }
        guard let continuation else { return }
        guard firstAudioDelay > .zero else { return play(answer, item: item, into: continuation) }
        let time = FakeTime.current
        Task(executorPreference: time.executor) {
            try? await time.wait(self.firstAudioDelay)
            self.play(answer, item: item, into: continuation)
        }
    }

    private func play(_ answer: Answer?, item: Int, into continuation: AsyncStream<SpeechToSpeechEvent>.Continuation) {
        switch answer {
        case .say(let text, let frames)?:
            continuation.yield(.botTranscript(item: "item_\(item)", delta: text))
            for index in 0..<frames {
                let samples = (0..<160).map { Int16(6000 * sin(2 * Double.pi * 440 * Double(index * 160 + $0) / 8000)) }
                continuation.yield(.audio(item: "item_\(item)", samples: samples))
            }
        case .act(let action)?:
            continuation.yield(.action(action))
        case nil:
            break
        }
        continuation.yield(.responseDone)
    }

    /// Counts the frame and, with `turnSilence`, runs the model's own turn detection on it.
    fileprivate func hear(_ samples: [Int16]) {
        let events = state.withLock { state -> [SpeechToSpeechEvent] in
            state.appended += 1
            guard let turnSilence else { return [] }
            let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))
            let frame = Duration.milliseconds(samples.count * 1000 / 8000)
            if power.squareRoot() > 300 {
                state.voiced += frame
                state.unvoiced = .zero
                if !state.speaking, state.voiced >= .milliseconds(100) {
                    state.speaking = true
                    return [.callerStarted]
                }
            } else if state.speaking {
                state.unvoiced += frame
                if state.unvoiced >= turnSilence {
                    state.speaking = false
                    state.voiced = .zero
                    return [.callerStopped, .callerTranscript(heard)]
                }
            } else {
                state.voiced = .zero
            }
            return []
        }
        for event in events { emit(event) }
    }

    fileprivate func record(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }

    private struct Session: SpeechToSpeechSession {
        let model: ScriptedSpeechModel
        let events: AsyncStream<SpeechToSpeechEvent>
        func append(_ samples: [Int16]) { model.hear(samples) }
        func respond(instructions: String?) { model.respond(instructions) }
        func addCallerText(_ text: String) { model.record { $0.callerTexts.append(text) } }
        func cancelResponse() { model.record { $0.cancels += 1 } }
        func truncate(item: String, heardMilliseconds: Int) { model.record { $0.truncates.append((item, heardMilliseconds)) } }
        func close() async { model.record { $0.continuation?.finish() } }
    }
}
