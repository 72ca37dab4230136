package io.mconv.agent.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Chrome-trace JSON that ONNX Runtime writes when profiling is on: an array of complete events
 * ({@code "ph": "X"}) with {@code ts} and {@code dur} in microseconds. Runs are the {@code "cat": "Session"}
 * events named {@code model_run}; the kernels are the {@code "cat": "Node"} events named
 * {@code <node>_kernel_time}, with {@code args.op_name} and {@code args.provider}. (The node's
 * {@code _fence_before}/{@code _fence_after} events are synchronization, not compute, and are not counted.)
 *
 * <p>The events are streamed one at a time, so a long trace is never held in memory whole.
 */
public final class OrtTraceParser {

    private static final String KERNEL_SUFFIX = "_kernel_time";

    private final ObjectMapper mapper = new ObjectMapper();

    private record Event(String name, String opType, String provider, long ts, long dur) {
    }

    /**
     * @param topNodes how many of the slowest nodes to keep
     * @throws IOException when the file is not such a trace
     */
    public OpBreakdown parse(Path trace, int topNodes) throws IOException {
        List<long[]> runs = new ArrayList<>();
        List<Event> kernels = new ArrayList<>();
        try (InputStream in = Files.newInputStream(trace);
             JsonParser p = mapper.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(trace + " is not an ONNX Runtime profile (expected a JSON array of events)");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode e = mapper.readTree(p);
                String cat = e.path("cat").asText();
                String name = e.path("name").asText();
                long ts = e.path("ts").asLong();
                long dur = e.path("dur").asLong();
                if (cat.equals("Session") && name.equals("model_run")) {
                    runs.add(new long[] {ts, ts + dur});
                } else if (cat.equals("Node") && name.endsWith(KERNEL_SUFFIX)) {
                    JsonNode args = e.path("args");
                    kernels.add(new Event(name.substring(0, name.length() - KERNEL_SUFFIX.length()),
                            args.path("op_name").asText("?"), args.path("provider").asText(""), ts, dur));
                }
            }
        }
        if (runs.isEmpty()) {
            throw new IOException(trace + " records no model_run: the profiled session was never run");
        }
        return summarize(runs, kernels, topNodes);
    }

    /** Drops the first run when there are more (it pays one-time allocations), then averages per run. */
    private static OpBreakdown summarize(List<long[]> runs, List<Event> kernels, int topNodes) {
        runs.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> counted = runs.size() > 1 ? runs.subList(1, runs.size()) : runs;
        long countedFrom = counted.get(0)[0];
        long runMicros = 0;
        for (long[] r : counted) {
            runMicros += r[1] - r[0];
        }
        Map<String, long[]> perNode = new LinkedHashMap<>();
        Map<String, Event> nodeInfo = new LinkedHashMap<>();
        Map<String, long[]> perType = new LinkedHashMap<>();
        Map<String, String> typeProvider = new LinkedHashMap<>();
        Map<String, java.util.Set<String>> typeNodes = new LinkedHashMap<>();
        long kernelMicros = 0;
        for (Event k : kernels) {
            if (k.ts() < countedFrom) {
                continue;
            }
            kernelMicros += k.dur();
            perNode.computeIfAbsent(k.name(), n -> new long[1])[0] += k.dur();
            nodeInfo.putIfAbsent(k.name(), k);
            perType.computeIfAbsent(k.opType(), n -> new long[1])[0] += k.dur();
            typeProvider.merge(k.opType(), k.provider(), (a, b) -> a.equals(b) ? a : "");
            typeNodes.computeIfAbsent(k.opType(), n -> new java.util.HashSet<>()).add(k.name());
        }
        int n = counted.size();
        double total = kernelMicros;
        List<OpBreakdown.OpTime> types = new ArrayList<>();
        perType.forEach((type, us) -> types.add(new OpBreakdown.OpTime(type, type, typeProvider.get(type),
                typeNodes.get(type).size(), us[0] / 1000.0 / n, total == 0 ? 0 : us[0] / total)));
        List<OpBreakdown.OpTime> nodes = new ArrayList<>();
        perNode.forEach((name, us) -> nodes.add(new OpBreakdown.OpTime(name, nodeInfo.get(name).opType(),
                nodeInfo.get(name).provider(), 1, us[0] / 1000.0 / n, total == 0 ? 0 : us[0] / total)));
        Comparator<OpBreakdown.OpTime> slowestFirst = Comparator.comparingDouble(OpBreakdown.OpTime::msPerRun)
                .reversed().thenComparing(OpBreakdown.OpTime::name);
        types.sort(slowestFirst);
        nodes.sort(slowestFirst);
        return new OpBreakdown(n, kernelMicros / 1000.0 / n, runMicros / 1000.0 / n, types,
                nodes.subList(0, Math.min(topNodes, nodes.size())));
    }
}
