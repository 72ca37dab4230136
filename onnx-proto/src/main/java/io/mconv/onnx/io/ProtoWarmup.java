package io.mconv.onnx.io;

import io.mconv.onnx.proto.Onnx;

/**
 * Builds the ONNX protobuf descriptors on a background daemon thread. Building them is the first thing any read
 * or write of a model does and takes 150 to 300 ms in a fresh JVM; started when the program starts, it overlaps
 * argument parsing and file reading instead of adding to them.
 *
 * <p>Only the outer descriptor class is touched here. The message classes' initializers depend on it and it on
 * none of them, so a reader that reaches a message class while this runs simply waits for it: no two threads can
 * each hold an initialization lock the other needs.
 */
public final class ProtoWarmup {

    private ProtoWarmup() {
    }

    public static void start() {
        Thread warm = new Thread(Onnx::getDescriptor, "protobuf-warmup");
        warm.setDaemon(true);
        warm.start();
    }
}
