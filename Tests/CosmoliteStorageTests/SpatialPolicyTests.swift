// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `indexingPolicy.spatialIndexes` and `geospatialConfig`: container definitions written for the service are
/// accepted, checked, kept and echoed; spatial indexes keep no rows, so changing them re-indexes nothing.
struct SpatialPolicyTests {
    static func text(_ spatial: String, config: String = "") -> String {
        #"{"id": "s", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
            + #""spatialIndexes": "# + spatial + "}" + config + "}"
    }

    /// The policy the Azure portal and many templates write.
    static let portal = text(#"[{"path": "/*", "types": ["Point", "LineString", "Polygon", "MultiPolygon"]}]"#)

    @Test func servicePoliciesAreKeptAndEchoed() throws {
        let d = try definition(Self.portal)
        #expect(d.indexingPolicy.spatialIndexes.map(\.path) == ["/*"])
        #expect(d.indexingPolicy.spatialIndexes[0].types == SpatialIndex.allowedTypes)
        #expect(d.geospatialType == .geography)
        #expect(try ContainerDefinition(json: d.json) == d)
        let geometry = try definition(Self.text(
            #"[{"path": "/shape/*", "types": ["polygon"], "boundingBox": {"xmin": -10, "ymin": -20, "xmax": 10, "ymax": 20}}]"#,
            config: #", "geospatialConfig": {"type": "Geometry"}"#))
        #expect(geometry.geospatialType == .geometry)
        #expect(geometry.indexingPolicy.spatialIndexes[0].types == ["Polygon"])
        #expect(geometry.indexingPolicy.spatialIndexes[0].boundingBox?.ymax == 20)
        let test = try TestStore()
        try test.store.createContainer(geometry)
        let echoed = try test.store.container("s").definition.json
        #expect(try echoed["geospatialConfig"] == json(#"{"type": "Geometry"}"#))
        #expect(try echoed["indexingPolicy"]?["spatialIndexes"] == json(
            #"[{"path": "/shape/*", "types": ["Polygon"], "boundingBox": {"xmin": -10, "ymin": -20, "xmax": 10, "ymax": 20}}]"#))
        #expect(try ContainerDefinition(json: echoed) == geometry)
        // The library's initializer sets the model too.
        let made = try ContainerDefinition(id: "m", partitionKey: PartitionKeyDefinition(paths: ["/pk"]),
                                           geospatialType: .geometry)
        #expect(made.geospatialType == .geometry)
        #expect(try made.json["geospatialConfig"] == json(#"{"type": "Geometry"}"#))
    }

    @Test(arguments: [
        (text(#"{"path": "/*"}"#), "spatialIndexes: must be an array"),
        (text(#"["/*"]"#), "spatialIndexes[0]: must be an object"),
        (text(#"[{"types": ["Point"]}]"#), "spatialIndexes[0].path: required"),
        (text(#"[{"path": "location", "types": ["Point"]}]"#), "must start with '/'"),
        (text(#"[{"path": "/*"}]"#), "spatialIndexes[0].types: required"),
        (text(#"[{"path": "/*", "types": []}]"#), "spatialIndexes[0].types: required"),
        (text(#"[{"path": "/*", "types": ["Circle"]}]"#), #""Circle" is not a spatial type"#),
        (text(#"[{"path": "/*", "types": ["Point"], "precision": 3}]"#), "unknown property 'precision'"),
        (text(#"[{"path": "/a/*", "types": ["Point"]}, {"path": "/a/*", "types": ["Polygon"]}]"#), "listed twice"),
        (text(#"[{"path": "/*", "types": ["Point"], "boundingBox": {"xmin": 0, "ymin": 0, "xmax": 1, "ymax": 1}}]"#),
         "a boundingBox applies only to containers whose geospatialConfig type is Geometry"),
        (text(#"[{"path": "/*", "types": ["Point"]}]"#, config: #", "geospatialConfig": {"type": "Geometry"}"#),
         "needs a boundingBox"),
        (text(#"[{"path": "/*", "types": ["Point"], "boundingBox": {"xmin": 1, "ymin": 0, "xmax": 1, "ymax": 1}}]"#,
              config: #", "geospatialConfig": {"type": "Geometry"}"#), "xmin must be less than xmax"),
        (text(#"[{"path": "/*", "types": ["Point"], "boundingBox": {"xmin": 0, "ymin": 0, "xmax": 1}}]"#,
              config: #", "geospatialConfig": {"type": "Geometry"}"#), "boundingBox.ymax: required"),
        (text("[]", config: #", "geospatialConfig": {"type": "Flat"}"#), "geospatialConfig: must be"),
        (text("[]", config: #", "geospatialConfig": "Geometry""#), "geospatialConfig: must be"),
    ])
    func invalidPoliciesAreRefused(definitionText: String, message: String) throws {
        let error = expectStatus(400) { try definition(definitionText) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    /// Adding or removing spatial indexes re-indexes the items (their spatial rows), online.
    @Test func changingSpatialIndexesReindexes() throws {
        let test = try TestStore()
        let plain = try definition(Self.text("[]"))
        try test.store.createContainer(plain)
        for i in 0..<3 {
            _ = try test.store.createItem(in: "s", document: try json(
                #"{"id": "\#(i)", "pk": "a", "location": {"type": "Point", "coordinates": [\#(i), 1]}}"#))
        }
        let spatial = try definition(Self.portal)
        try test.store.replaceContainer(spatial)
        #expect(try test.store.container("s").definition == spatial)
        #expect(try test.store.indexTransformationProgress(in: "s") < 100)
        try test.store.finishIndexTransformations()
        #expect(try test.store.verify().isEmpty)
        try test.store.replaceContainer(plain)
        try test.store.finishIndexTransformations()
        #expect(try test.store.container("s").definition == plain)
        #expect(try test.store.verify().isEmpty)
    }
}
