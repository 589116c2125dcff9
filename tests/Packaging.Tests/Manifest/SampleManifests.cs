namespace Inference.Packaging.Tests.Manifest;

/// <summary>Manifests for the tests: one valid in YAML and the same in JSON.</summary>
internal static class SampleManifests
{
    public const string ValidYaml = """
        service:
          id: text_classifier
          alias: classifier
          version: 1.2.0
          interface: oneshot
          description: Classifies short texts.
        parameters:
          - name: language
            description: Language of the text
            type: enum
            enum:
              - { value: en, meaning: English }
              - { value: zh, meaning: Chinese }
            required: false
            default: en
          - name: threshold
            type: float
            range: { min: 0, max: 1 }
            default: 0.5
          - name: top_k
            type: integer
            range: { min: 1, max: 10 }
            required: true
          - name: verbose
            type: boolean
            default: false
          - name: after
            type: time
            range: { min: "08:00", max: "20:00" }
            default: "09:30:00"
        request:
          - name: text
            type: text
            encodings: [utf8]
        response:
          - name: result
            type: text
            encodings: [json]
        errors:
          - code: 10001
            name: AIGES_ERROR_INVALID_TEXT
            description: The text is empty or too long.
            strategy: Send 1 to 512 characters.
        tests:
          - name: positive
            parameters: { top_k: 3, language: zh }
            request:
              text: { text: "what a great day" }
            expect:
              result: { contains: positive }
        config:
          env: { OMP_NUM_THREADS: "1" }
          settings: { labels: "positive,negative" }
          maxConcurrency: 8
          optimalConcurrency: 4
        resources:
          preset: C1
        engine:
          kind: onnx
          model: model/model.onnx
          inputs:
            - { source: text, tensor: TEXT, datatype: BYTES, shape: [-1] }
          outputs:
            - { source: result, tensor: LABEL }
        """;

    public const string ValidJson = """
        {
          "service": { "id": "text_classifier", "alias": "classifier", "version": "1.2.0", "interface": "oneshot" },
          "parameters": [
            { "name": "top_k", "type": "integer", "range": { "min": 1, "max": 10 }, "required": true }
          ],
          "request": [ { "name": "text", "type": "text", "encodings": ["utf8"] } ],
          "response": [ { "name": "result", "type": "text", "encodings": ["json"] } ],
          "errors": [ { "code": 10001, "name": "AIGES_ERROR_INVALID_TEXT" } ],
          "config": { "maxConcurrency": 8, "optimalConcurrency": 4 },
          "resources": { "cpu": 2, "memoryMiB": 4096 },
          "engine": { "kind": "managed", "assembly": "plugin/Classifier.dll", "type": "Classifier.Plugin" }
        }
        """;
}
