package io.mconv.torch.export;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The TorchScript zoo that {@code testdata/make_torch_zoo.sh} generates into {@code testdata/generated/torch/}:
 * each model's archive, facts (inputs, outputs) and torch's reference inputs and outputs as TensorProto files.
 */
final class TorchZoo {

    private TorchZoo() {
    }

    static Path dir() {
        Path d = Fixtures.testdata().resolve("generated").resolve("torch");
        if (!Files.isDirectory(d)) {
            fail("The TorchScript zoo " + d + " is missing. Generate it with: testdata/make_torch_zoo.sh "
                    + "(needs: sudo apt-get install -y python3-torch python3-torchvision python3-onnx)");
        }
        return d;
    }

    /** Every model of the zoo, by name, in name order. */
    static List<String> names() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".facts.json"))
                    .map(n -> n.substring(0, n.length() - ".facts.json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Model(String name, Path archive, List<InputSpec> inputs, List<Tensor> referenceInputs,
                 List<Tensor> referenceOutputs, JsonNode facts) {
    }

    static Model load(String name) {
        try {
            JsonNode facts = new ObjectMapper().readTree(dir().resolve(name + ".facts.json").toFile());
            List<InputSpec> specs = new ArrayList<>();
            List<Tensor> inputs = new ArrayList<>();
            for (JsonNode in : facts.get("inputs")) {
                long[] dims = new long[in.get("shape").size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = in.get("shape").get(i).asLong();
                }
                DataType type = DataType.fromName(in.get("dtype").asText()).orElseThrow();
                specs.add(new InputSpec(in.get("name").asText(), Shape.of(dims), type));
                inputs.add(readTensor(dir().resolve(in.get("file").asText())));
            }
            List<Tensor> outputs = new ArrayList<>();
            for (int i = 0; ; i++) {
                Path p = dir().resolve(name + ".output_" + i + ".pb");
                if (!Files.exists(p)) {
                    break;
                }
                outputs.add(readTensor(p));
            }
            return new Model(name, dir().resolve(name + ".pt"), specs, inputs, outputs, facts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tensor readTensor(Path p) throws IOException {
        return TensorProtos.fromProto(Onnx.TensorProto.parseFrom(Files.readAllBytes(p)));
    }
}
