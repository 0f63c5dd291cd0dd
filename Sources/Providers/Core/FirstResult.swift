extension TaskGroup {
    /// The first result a child gives that is not nil; the other children are then cancelled.
    /// nil when every child ended with nil (they were cancelled, or had nothing to say).
    mutating func firstResult<Value>() async -> Value? where ChildTaskResult == Value? {
        while let result = await next() {
            if let result {
                cancelAll()
                return result
            }
        }
        return nil
    }
}
