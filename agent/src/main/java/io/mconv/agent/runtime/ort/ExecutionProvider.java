package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ONNX Runtime execution providers users can ask for, with the name they type ({@code cuda}), ORT's name
 * ({@code CUDAExecutionProvider}) and a hint on how to get a build that has it: most are not in the plain
 * {@code onnxruntime} jar, and "not available" alone does not help anybody.
 */
public enum ExecutionProvider {
    CPU("cpu", OrtProvider.CPU, "it is part of every ONNX Runtime build"),
    CUDA("cuda", OrtProvider.CUDA, "use the com.microsoft.onnxruntime:onnxruntime_gpu jar instead of onnxruntime "
            + "(Linux or Windows x64) with an NVIDIA driver, CUDA 12 and cuDNN 9 installed"),
    TENSORRT("tensorrt", OrtProvider.TENSOR_RT, "use the com.microsoft.onnxruntime:onnxruntime_gpu jar with CUDA 12, "
            + "cuDNN 9 and TensorRT 10 libraries on the library path"),
    ROCM("rocm", OrtProvider.ROCM, "build ONNX Runtime from source with --use_rocm --build_java (AMD GPUs)"),
    MIGRAPHX("migraphx", OrtProvider.MI_GRAPH_X, "build ONNX Runtime from source with --use_migraphx --build_java "
            + "(AMD GPUs)"),
    OPENVINO("openvino", OrtProvider.OPEN_VINO, "build ONNX Runtime from source with --use_openvino --build_java "
            + "(Intel CPUs, GPUs, NPUs)"),
    DNNL("dnnl", OrtProvider.DNNL, "build ONNX Runtime from source with --use_dnnl --build_java (oneDNN)"),
    DIRECTML("directml", OrtProvider.DIRECT_ML, "Windows only: build ONNX Runtime from source with --use_dml "
            + "--build_java"),
    COREML("coreml", OrtProvider.CORE_ML, "macOS or iOS only: the onnxruntime jar's osx-aarch64 library includes it"),
    NNAPI("nnapi", OrtProvider.NNAPI, "Android only: use the com.microsoft.onnxruntime:onnxruntime-android AAR"),
    QNN("qnn", OrtProvider.QNN, "Qualcomm devices: use the com.microsoft.onnxruntime:onnxruntime-qnn package "
            + "or build with --use_qnn"),
    XNNPACK("xnnpack", OrtProvider.XNNPACK, "use the onnxruntime-android AAR or build from source with --use_xnnpack"),
    WEBGPU("webgpu", OrtProvider.WEBGPU, "build ONNX Runtime from source with --use_webgpu --build_java"),
    ACL("acl", OrtProvider.ACL, "Arm only: build ONNX Runtime from source with --use_acl --build_java"),
    AZURE("azure", OrtProvider.AZURE, "build ONNX Runtime from source with --use_azure --build_java");

    private final String userName;
    private final OrtProvider ortProvider;
    private final String howToGet;

    ExecutionProvider(String userName, OrtProvider ortProvider, String howToGet) {
        this.userName = userName;
        this.ortProvider = ortProvider;
        this.howToGet = howToGet;
    }

    /** What users type and see: {@code cuda}. */
    public String userName() {
        return userName;
    }

    /** ORT's own name: {@code CUDAExecutionProvider}. */
    public String ortName() {
        return ortProvider.getName();
    }

    OrtProvider ortProvider() {
        return ortProvider;
    }

    /** How to get an ONNX Runtime build that has this provider, for error messages. */
    public String howToGet() {
        return howToGet;
    }

    /**
     * Parses a user name ({@code cuda}), the enum name ({@code TENSORRT}) or ORT's name
     * ({@code CUDAExecutionProvider}), ignoring case.
     *
     * @throws IllegalArgumentException naming the bad value and listing the accepted ones (a usage error)
     */
    public static ExecutionProvider parse(String text) {
        String t = text == null ? "" : text.trim();
        for (ExecutionProvider p : values()) {
            if (p.userName.equalsIgnoreCase(t) || p.name().equalsIgnoreCase(t) || p.ortName().equalsIgnoreCase(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown execution provider '" + text + "'; accepted: "
                + Arrays.stream(values()).map(ExecutionProvider::userName).collect(Collectors.joining(", ")));
    }

    /** Parses a comma-separated priority list: {@code cuda,cpu}. */
    public static java.util.List<ExecutionProvider> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(ExecutionProvider::parse).toList();
    }

    /** The providers compiled into the ONNX Runtime library loaded in this process. */
    public static Set<ExecutionProvider> available() {
        EnumSet<OrtProvider> ort = OrtEnvironment.getAvailableProviders();
        EnumSet<ExecutionProvider> out = EnumSet.noneOf(ExecutionProvider.class);
        for (ExecutionProvider p : values()) {
            if (ort.contains(p.ortProvider)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return userName.toLowerCase(Locale.ROOT);
    }
}
