package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeLoadFailureException;

import java.nio.ByteOrder;

/**
 * Opening, wrapping and closing ORT sessions, shared by the model runner and the profiler's raw session: provider
 * selection and its fallback warnings, session options, and errors named after the model.
 */
final class OrtSessions {

    private OrtSessions() {
    }

    /** Creates the session from options (a file path or bytes). */
    @FunctionalInterface
    interface Opener {
        OrtSession open(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    /** Wraps an open session; the session is closed when this throws. */
    @FunctionalInterface
    interface Wrapper<T> {
        T wrap(OrtEnvironment env, OrtSession session, OrtSessionOptionsFactory.Built built) throws OrtException;
    }

    /**
     * @throws ProviderUnavailableException when a requested provider is missing and fallback is off
     * @throws RuntimeFailureException      when ORT refuses the options
     * @throws RuntimeLoadFailureException  when ORT refuses the model
     */
    static <T> T open(OrtSessionConfig config, String source, Opener opener, Wrapper<T> wrapper) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // IR tensors are little-endian and ORT reads native order; ORT ships for no big-endian platform.
            throw new UnsupportedOperationException("ONNX Runtime on a big-endian platform is not supported");
        }
        OrtEnvironment env = OrtEnvironments.get();
        ProviderSelection selection = ProviderSelection.select(config.providers(), ExecutionProvider.available(),
                config.allowFallback());
        OrtSessionOptionsFactory.Built built;
        try {
            built = OrtSessionOptionsFactory.build(config, selection);
        } catch (OrtException e) {
            throw failure("onnxruntime rejected the session options for " + source, e);
        }
        try (OrtSession.SessionOptions so = built.options()) {
            OrtSession session = opener.open(env, so);
            try {
                return wrapper.wrap(env, session, built);
            } catch (OrtException | RuntimeException e) {
                closeQuietly(session);
                throw e;
            }
        } catch (OrtException e) {
            throw new RuntimeLoadFailureException("onnxruntime", source, e.getMessage(), e.getCode().name(), e);
        }
    }

    static RuntimeFailureException failure(String what, OrtException e) {
        return new RuntimeFailureException(what + ": " + e.getMessage(), e.getCode().name(), e);
    }

    static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure here leaves nothing the caller could act on.
        }
    }
}
