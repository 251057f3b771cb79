import Foundation
@testable import PeregrineServer
import PeregrineTestSupport
import Testing

@Suite struct OpenAPIDocumentTests {
    @Test func theCommittedDocumentIsTheOneServed() throws {
        let committed = try Data(contentsOf: URL(fileURLWithPath: TestPaths.repository + "/openapi.json"))
        #expect(committed == OpenAPIDocument.rendered, "openapi.json is stale: run `peregrine serve --openapi openapi.json`")
    }

    @Test func routesAndDocumentListTheSameOperations() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.rendered) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, item) in paths {
            for method in ["get", "post", "put", "delete", "patch"] where item[method] != nil { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routed = Set(ControlAPI.routes.map { "\($0.method) \($0.path)" })
        #expect(documented == routed)
        #expect(routed.count == ControlAPI.routes.count, "two routes share a method and path")
        // The issue's list of endpoints is all there.
        for needed in ["GET /api/v1/health", "GET /api/v1/status", "GET /api/v1/bots", "GET /api/v1/bots/{name}", "GET /api/v1/positions",
                       "GET /api/v1/orders", "GET /api/v1/fills", "GET /api/v1/decisions", "GET /api/v1/equity", "GET /api/v1/risk",
                       "GET /api/v1/runs", "GET /api/v1/runs/{id}", "GET /api/v1/runs/{id}/report", "POST /api/v1/bots/{name}/pause",
                       "POST /api/v1/bots/{name}/resume", "POST /api/v1/positions/{symbol}/flatten", "POST /api/v1/flatten",
                       "DELETE /api/v1/orders/{id}", "POST /api/v1/risk/resume"] {
            #expect(routed.contains(needed), "\(needed)")
        }
        // Every $ref names a schema the document has.
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let text = String(decoding: OpenAPIDocument.rendered, as: UTF8.self)
        let refs = text.components(separatedBy: "#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(!refs.isEmpty && refs.allSatisfy { schemas[$0] != nil })
    }

    @Test func routeTemplatesCaptureDecodedSegmentsOnly() {
        let route = ControlAPI.routes.first { $0.path == "/api/v1/positions/{symbol}/flatten" }!
        #expect(route.match("/api/v1/positions/BRK.B/flatten") == ["symbol": "BRK.B"])
        #expect(route.match("/api/v1/positions/BTC%2FUSD/flatten") == ["symbol": "BTC/USD"])
        #expect(route.match("/api/v1/positions//flatten") == nil)
        #expect(route.match("/api/v1/positions/AAPL") == nil)
    }
}

@Suite struct DashboardPageTests {
    @Test func theDashboardIsServedWithoutATokenAndRunsNoForeignCode() async throws {
        let fixture = try ServerFixture()
        let page = await fixture.get("/", token: nil)
        let script = await fixture.get("/dashboard.js", token: nil)
        #expect(page.status == 200 && page.contentType.hasPrefix("text/html") && script.contentType.hasPrefix("text/javascript"))
        let html = String(decoding: page.body, as: UTF8.self), code = String(decoding: script.body, as: UTF8.self)
        // One script of its own, nothing fetched from elsewhere, and a policy that forbids anything else.
        #expect(html.contains(#"<script src="/dashboard.js"></script>"#) && !html.contains("http://") && !html.contains("https://"))
        #expect(!code.contains("http://") && !code.contains("https://"))
        #expect(page.headers["Content-Security-Policy"]?.contains("script-src 'self'") == true)
        // Every API path the page reads is a route of the API.
        let paths = Set(ControlAPI.routes.map(\.path))
        for used in ["/api/v1/status", "/api/v1/bots", "/api/v1/positions", "/api/v1/orders", "/api/v1/decisions", "/api/v1/equity",
                     "/api/v1/risk", "/api/v1/ws", "/api/v1/pending", "/api/v1/assistant", "/api/v1/validation"] {
            #expect(code.contains(used) && paths.contains(used), "\(used)")
        }
        // The data itself still needs the token.
        #expect(await fixture.get("/api/v1/status", token: nil).status == 401)
    }
}
