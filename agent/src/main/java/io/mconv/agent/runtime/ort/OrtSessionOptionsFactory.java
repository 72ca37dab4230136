package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link OrtSessionConfig} into ORT's {@link SessionOptions}: settings first, then the providers in
 * priority order. A provider the build lists but that fails to start (its shared library or CUDA missing) is
 * treated like an unavailable one: dropped with a warning under fallback, an error otherwise.
 */
final class OrtSessionOptionsFactory {

    /** The options (caller closes them), the providers that were registered, and the warnings on the way. */
    record Built(SessionOptions options, List<ExecutionProvider> providers, List<String> warnings) {
    }

    private OrtSessionOptionsFactory() {
    }

    static Built build(OrtSessionConfig config, ProviderSelection selection) throws OrtException {
        SessionOptions so = new SessionOptions();
        try {
            so.setOptimizationLevel(config.optimizationLevel().ortLevel());
            if (config.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(config.intraOpThreads());
            }
            if (config.parallelExecution()) {
                so.setExecutionMode(SessionOptions.ExecutionMode.PARALLEL);
            }
            if (config.interOpThreads() > 0) {
                so.setInterOpNumThreads(config.interOpThreads());
            }
            if (config.profilingFilePrefix() != null) {
                so.enableProfiling(config.profilingFilePrefix());
            }
            if (config.optimizedModelPath() != null) {
                so.setOptimizedModelFilePath(config.optimizedModelPath().toString());
            }
            so.setMemoryPatternOptimization(config.memoryPattern());
            so.setCPUArenaAllocator(config.cpuArena());
            if (!config.spinning()) {
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            List<ExecutionProvider> registered = new ArrayList<>();
            List<String> warnings = new ArrayList<>(selection.warnings());
            for (ExecutionProvider p : selection.chosen()) {
                try {
                    register(so, p, config);
                    registered.add(p);
                } catch (OrtException | ProviderUnavailableException e) {
                    if (!config.allowFallback() || p == ExecutionProvider.CPU) {
                        throw new ProviderUnavailableException(p, "execution provider " + p.userName()
                                + " could not be started: " + e.getMessage() + ". To get it working: "
                                + p.howToGet(), e);
                    }
                    warnings.add("execution provider " + p.userName() + " could not be started (" + e.getMessage()
                            + "); falling back to cpu");
                }
            }
            return new Built(so, List.copyOf(registered), List.copyOf(warnings));
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private static void register(SessionOptions so, ExecutionProvider p, OrtSessionConfig config)
            throws OrtException {
        switch (p) {
            case CPU -> so.addCPU(config.cpuArena());
            case CUDA -> so.addCUDA();
            case TENSORRT -> so.addTensorrt(0);
            case ROCM -> so.addROCM();
            case OPENVINO -> so.addOpenVINO("");
            case DNNL -> so.addDnnl(config.cpuArena());
            case DIRECTML -> so.addDirectML(0);
            case COREML -> so.addCoreML();
            case NNAPI -> so.addNnapi();
            case QNN -> so.addQnn(Map.of());
            case XNNPACK -> so.addXnnpack(Map.of());
            case WEBGPU -> so.addWebGPU(Map.of());
            case ACL -> so.addACL(config.cpuArena());
            // ORT's Java SessionOptions has no add method for these; they would need the plugin-EP device API.
            case MIGRAPHX, AZURE -> throw new ProviderUnavailableException(p, "ONNX Runtime's Java API has no call "
                    + "to register " + p.ortName(), null);
        }
    }
}
