import Hummingbird
import Prometheus

/// `GET /metrics`: the registry in Prometheus text exposition format.
struct MetricsController {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<OperatorRequestContext>) {
        router.get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
