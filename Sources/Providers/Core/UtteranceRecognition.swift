import Voice

/// The streaming side of recognisers that take a whole utterance at once (the OpenAI and
/// Google REST APIs): collect the audio until the pipeline ends the utterance, then ask once and
/// yield the single final transcript. Cancelling the consumer cancels the request.
enum UtteranceRecognition {
    static func transcribe(
        _ audio: AsyncStream<[Int16]>, recognize: @escaping @Sendable ([Int16]) async throws -> Transcript
    ) -> AsyncThrowingStream<Transcript, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Transcript, any Error>.makeStream()
        let task = Task {
            do {
                var samples: [Int16] = []
                for await chunk in audio { samples += chunk }
                try Task.checkCancellation()
                continuation.yield(try await recognize(samples))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
