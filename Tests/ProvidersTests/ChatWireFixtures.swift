/// Chat-completion event streams as real servers send them, byte for byte in form.
enum ChatWireFixtures {
    /// OpenAI: role-only first chunk, content deltas, empty delta with finish_reason, a usage
    /// chunk with empty choices (stream_options.include_usage), `[DONE]`.
    static let openAI = """
        data: {"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"content":"Our hours"},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"content":" are nine to five."},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

        data: {"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[],"usage":{"prompt_tokens":412,"completion_tokens":9,"total_tokens":421,"prompt_tokens_details":{"cached_tokens":0}}}

        data: [DONE]


        """

    /// llama.cpp server: `data:` without a space, `content: null` in the role chunk, extra
    /// `timings` fields, usage inside the finishing chunk.
    static let llamaCpp = """
        data:{"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1732000000,"id":"chatcmpl-abc","model":"qwen2.5-7b-instruct","system_fingerprint":"b4000-1234","object":"chat.completion.chunk"}

        data:{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Nosso horário"}}],"created":1732000000,"id":"chatcmpl-abc","model":"qwen2.5-7b-instruct","system_fingerprint":"b4000-1234","object":"chat.completion.chunk"}

        data:{"choices":[{"finish_reason":null,"index":0,"delta":{"content":" é das nove às cinco."}}],"created":1732000000,"id":"chatcmpl-abc","model":"qwen2.5-7b-instruct","system_fingerprint":"b4000-1234","object":"chat.completion.chunk"}

        data:{"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1732000000,"id":"chatcmpl-abc","model":"qwen2.5-7b-instruct","system_fingerprint":"b4000-1234","object":"chat.completion.chunk","usage":{"completion_tokens":12,"prompt_tokens":230,"total_tokens":242},"timings":{"prompt_n":230,"prompt_ms":81.2,"predicted_n":12,"predicted_ms":140.5}}

        data: [DONE]


        """

    /// Ollama: CRLF line ends, `: ping` comments, role repeated in every delta, a finishing
    /// chunk with empty content, no usage.
    static let ollama = [
        ": ping\r\n\r\n",
        "data: {\"id\":\"chatcmpl-42\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"llama3.2\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\r\n\r\n",
        "data: {\"id\":\"chatcmpl-42\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"llama3.2\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" there!\"},\"finish_reason\":null}]}\r\n\r\n: ping\r\n",
        "\r\ndata: {\"id\":\"chatcmpl-42\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"llama3.2\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"stop\"}]}\r\n\r\n",
        "data: [DONE]\r\n\r\n",
    ]

    /// OpenAI tool call: the arguments split across chunks, finish_reason `tool_calls`.
    static let transferToolCall = """
        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_Qx1","type":"function","function":{"name":"transfer_call","arguments":""}}],"refusal":null},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"dest"}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ination\\": \\"1002\\"}"}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]


        """

    /// Two parallel tool calls interleaved by index.
    static let twoToolCalls = """
        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"send_dtmf","arguments":""}},{"index":1,"id":"call_b","type":"function","function":{"name":"end_call","arguments":""}}]},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"reason\\":"}}]},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"digits\\":\\"12#\\"}"}}]},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\\"done\\"}"}}]},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]


        """

    static func text(_ text: String) -> String {
        """
        data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{"content":"\(text)"},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":50,"completion_tokens":6}}

        data: [DONE]


        """
    }
}
