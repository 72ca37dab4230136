package io.mconv.passes.cleanup;

import static io.mconv.passes.cleanup.ChainTesting.assertRefuses;
import static io.mconv.passes.cleanup.ChainTesting.assertRewrites;
import static io.mconv.passes.cleanup.ChainTesting.cast;
import static io.mconv.passes.cleanup.ChainTesting.ints;
import static io.mconv.passes.cleanup.ChainTesting.only;
import static io.mconv.passes.cleanup.ChainTesting.shape;
import static io.mconv.passes.cleanup.ChainTesting.single;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.passes.PassManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeChainsTest {

    private static final MergeChains PASS = new MergeChains();
    private static final DataType F = DataType.FLOAT;

    private static Value transpose(ChainTesting.G g, Value v, long... perm) {
        return g.nodeWith("Transpose", new Attribute[] {ints("perm", perm)}, v);
    }

    // ------------------------------------------------------------ Transpose

    @Test
    void threeTransposesBecomeOneWithTheComposedPerm() {
        Model m = single(17, F, Shape.of(2, 3, 4, 5), F, Shape.of(2, 5, 3, 4), (g, x) -> {
            Value t = transpose(g, transpose(g, transpose(g, x, 1, 0, 2, 3), 0, 2, 3, 1), 3, 2, 0, 1);
            return g.node("Relu", t);
        });
        Model after = assertRewrites(PASS, m, 2, Map.of("Transpose", 1, "Relu", 1));
        // [1,0,2,3] then [0,2,3,1] is [1,2,3,0]; then [3,2,0,1] is [0,3,1,2]
        assertArrayEquals(new long[] {0, 3, 1, 2}, only(after, "Transpose").attr(io.mconv.ir.AttrKey.ofInts("perm")));
    }

    @Test
    void inverseTransposesVanishAndTheGraphOutputKeepsItsName() {
        Model m = single(17, F, Shape.of(2, 3, 4, 5), F, Shape.of(2, 3, 4, 5),
                (g, x) -> transpose(g, transpose(g, g.node("Relu", x), 0, 2, 3, 1), 0, 3, 1, 2));
        String name = m.graph().outputs().get(0).name();
        Model after = assertRewrites(PASS, m, 1, Map.of("Relu", 1));
        assertEquals(name, after.graph().outputs().get(0).name());
        assertSame(only(after, "Relu").output(0), after.graph().outputs().get(0));
    }

    @Test
    void twoDefaultPermsCancelAtAnyRank() {
        Model m = single(17, F, Shape.of(2, 3, 4), F, Shape.of(2, 3, 4),
                (g, x) -> g.node("Relu", g.node("Transpose", g.node("Transpose", x))));
        assertRewrites(PASS, m, 1, Map.of("Relu", 1));
    }

    @Test
    void inverseTransposesFromAGraphInputToAGraphOutputLeaveOneIdentity() {
        Model m = single(17, F, Shape.of(2, 3, 4), F, Shape.of(2, 3, 4),
                (g, x) -> transpose(g, transpose(g, x, 2, 0, 1), 1, 2, 0));
        assertRewrites(PASS, m, 1, Map.of("Identity", 1));
    }

    @Test
    void transposeFanOutAndIntermediateGraphOutputAreRefused() {
        Model fanOut = single(17, F, Shape.of(2, 3), F, Shape.of(2, 3), (g, x) -> {
            Value t = transpose(g, x, 1, 0);
            return g.node("Add", transpose(g, t, 1, 0), g.node("Relu", transpose(g, t, 1, 0)));
        });
        assertRefuses(PASS, fanOut, "fan-out");
        Model output = single(17, F, Shape.of(2, 3), F, Shape.of(2, 3), (g, x) -> {
            Value t = transpose(g, x, 1, 0);
            g.graph.addOutput(t);
            return transpose(g, t, 1, 0);
        });
        assertRefuses(PASS, output, "is a graph output");
    }

    @Test
    void chainsInsideIfBranchesAreMerged() {
        Model m = ChainTesting.inIf(17, F, Shape.of(2, 3, 4), F, Shape.of(4, 2, 3),
                (g, x) -> g.node("Relu", transpose(g, transpose(g, x, 1, 0, 2), 2, 1, 0)));
        Model after = assertRewrites(PASS, m, 2, Map.of("If", 1, "Transpose", 2, "Relu", 2));
        Node iff = only(after, "If");
        for (var branch : iff.subgraphs()) {
            assertEquals(2, branch.nodes().size(), "one Transpose and one Relu per branch");
        }
    }

    // ------------------------------------------------------------ Reshape

    @Test
    void reshapeChainKeepsTheOuterTarget() {
        Model m = single(17, F, Shape.of(2, 3, 4), F, Shape.of(4, 6),
                (g, x) -> g.node("Reshape", g.node("Reshape", x, g.longs(6, 4)), g.longs(4, -1)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Reshape", 1));
        assertSame(after.graph().inputs().get(0), only(after, "Reshape").input(0));
    }

    @Test
    void aZeroOfTheOuterTargetIsResolvedToTheIntermediatesKnownSize() {
        Model m = single(17, F, Shape.of(2, 3, 4), F, Shape.of(6, 2, 2),
                (g, x) -> g.node("Reshape", g.node("Reshape", x, g.longs(6, 4)), g.longs(0, 2, 2)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Reshape", 1));
        assertArrayEquals(new long[] {6, 2, 2}, only(after, "Reshape").input(1).constValue().toLongArray());
    }

    @Test
    void aZeroCopyingTheSymbolicBatchStaysZeroAndIsValidatedAtTwoBatchSizes() {
        Model m = single(17, F, shape("N", 3, 4), F, shape("N", 2, 6),
                (g, x) -> g.node("Reshape", g.node("Reshape", x, g.longs(0, -1)), g.longs(0, 2, 6)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Reshape", 1),
                Map.of("x", Shape.of(2, 3, 4)), Map.of("x", Shape.of(5, 3, 4)));
        assertArrayEquals(new long[] {0, 2, 6}, only(after, "Reshape").input(1).constValue().toLongArray());
    }

    @Test
    void aZeroThatCannotBeResolvedAndANonConstantTargetAreRefused() {
        Model unresolved = model2Inputs((g, x, s) -> g.node("Reshape", g.node("Reshape", x, s), g.longs(0, -1)));
        assertRefuses(PASS, unresolved, "target entry 0 is 0");
        Model dynamic = model2Inputs((g, x, s) -> g.node("Reshape", g.node("Reshape", x, g.longs(6, 4)), s));
        assertRefuses(PASS, dynamic, "outer target is not constant");
    }

    @Test
    void allowZeroOuterTargetMergesAsIs() {
        Model m = single(14, F, Shape.of(2, 3, 4), F, Shape.of(4, 6), (g, x) -> g.nodeWith("Reshape",
                new Attribute[] {Attribute.ofInt("allowzero", 1)}, g.node("Reshape", x, g.longs(6, 4)),
                g.longs(4, 6)));
        assertRewrites(PASS, m, 1, Map.of("Reshape", 1));
    }

    private interface Pattern2 {
        Value build(ChainTesting.G g, Value x, Value s);
    }

    /** x: float [2,3,4] and s: int64 [2] (a run-time shape) as graph inputs. */
    private static Model model2Inputs(Pattern2 p) {
        Model m = ChainTesting.model(17);
        Value x = new Value("x", ChainTesting.type(F, Shape.of(2, 3, 4)));
        Value s = new Value("s", ChainTesting.type(DataType.INT64, Shape.of(2)));
        m.graph().addInput(x);
        m.graph().addInput(s);
        Value y = p.build(new ChainTesting.G(m.graph(), ""), x, s);
        y.setType(ChainTesting.type(F, Shape.of(4, 6)));
        m.graph().addOutput(y);
        return m;
    }

    // ------------------------------------------------------------ Squeeze / Unsqueeze

    @Test
    void unsqueezeChainAtOpset13CombinesAxesWithNegativeOnesRelativeToTheOutputRank() {
        Model m = single(13, F, shape("N", 4), F, shape(1, "N", 4, 1),
                (g, x) -> g.node("Unsqueeze", g.node("Unsqueeze", x, g.longs(0)), g.longs(-1)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Unsqueeze", 1),
                Map.of("x", Shape.of(2, 4)), Map.of("x", Shape.of(5, 4)));
        Node u = only(after, "Unsqueeze");
        assertArrayEquals(new long[] {0, 3}, u.input(1).constValue().toLongArray());
    }

    @Test
    void squeezeChainAtOpset11UsesTheAxesAttribute() {
        Model m = single(11, F, Shape.of(1, 3, 1, 4), F, Shape.of(3, 4), (g, x) -> g.nodeWith("Squeeze",
                new Attribute[] {ints("axes", -2)}, g.nodeWith("Squeeze", new Attribute[] {ints("axes", 0)}, x)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Squeeze", 1));
        Node s = only(after, "Squeeze");
        assertArrayEquals(new long[] {0, 2}, s.attr(io.mconv.ir.AttrKey.ofInts("axes")));
        assertEquals(1, s.inputCount());
    }

    @Test
    void unsqueezeThenSqueezeOfTheSameAxisVanishes() {
        Model m = single(13, F, Shape.of(3, 4), F, Shape.of(3, 4),
                (g, x) -> g.node("Relu", g.node("Squeeze", g.node("Unsqueeze", x, g.longs(1)), g.longs(-2))));
        assertRewrites(PASS, m, 1, Map.of("Relu", 1));
        Model noAxes = single(13, F, Shape.of(3, 4), F, Shape.of(3, 4),
                (g, x) -> g.node("Relu", g.node("Squeeze", g.node("Unsqueeze", x, g.longs(1)))));
        assertRewrites(PASS, noAxes, 1, Map.of("Relu", 1));
    }

    @Test
    void squeezeThenUnsqueezeElsewhereIsRefusedAsIsASqueezeOfUnknownSizes() {
        Model both = single(13, F, Shape.of(1, 3, 4), F, Shape.of(3, 4, 1),
                (g, x) -> g.node("Unsqueeze", g.node("Squeeze", x, g.longs(0)), g.longs(2)));
        assertRefuses(PASS, both, "no single Squeeze or Unsqueeze");
        Model unknown = single(13, F, shape("N", 4), F, shape("N", 4),
                (g, x) -> g.node("Squeeze", g.node("Unsqueeze", x, g.longs(0))));
        assertRefuses(PASS, unknown, "no known size");
    }

    @Test
    void runTimeAxesAreRefused() {
        Model m = ChainTesting.model(13);
        Value x = new Value("x", ChainTesting.type(F, Shape.of(3, 4)));
        Value axes = new Value("axes", ChainTesting.type(DataType.INT64, Shape.of(1)));
        m.graph().addInput(x);
        m.graph().addInput(axes);
        ChainTesting.G g = new ChainTesting.G(m.graph(), "");
        Value y = g.node("Unsqueeze", g.node("Unsqueeze", x, g.longs(0)), axes);
        y.setType(ChainTesting.type(F, null));
        m.graph().addOutput(y);
        assertRefuses(PASS, m, "are not constant");
    }

    // ------------------------------------------------------------ Cast

    @Test
    void widenedIntegerCastGoesStraightToTheFinalType() {
        Model m = single(17, DataType.INT8, Shape.of(2, 5), F, Shape.of(2, 5),
                (g, x) -> g.nodeWith("Cast", new Attribute[] {cast(F)},
                        g.nodeWith("Cast", new Attribute[] {cast(DataType.INT32)}, x)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Cast", 1));
        assertSame(after.graph().inputs().get(0), only(after, "Cast").input(0));
    }

    @Test
    void float16RoundTripThroughFloat32Vanishes() {
        Model m = single(17, DataType.FLOAT16, Shape.of(2, 5), DataType.FLOAT16, Shape.of(2, 5),
                (g, x) -> g.nodeWith("Cast", new Attribute[] {cast(DataType.FLOAT16)},
                        g.nodeWith("Cast", new Attribute[] {cast(F)}, g.node("Identity", x))));
        assertRewrites(PASS, m, 1, Map.of("Identity", 1));
    }

    @Test
    void lossyFirstCastsAreRefused() {
        Model floatIntFloat = single(17, F, Shape.of(4), F, Shape.of(4),
                (g, x) -> g.nodeWith("Cast", new Attribute[] {cast(F)},
                        g.nodeWith("Cast", new Attribute[] {cast(DataType.INT32)}, x)));
        assertRefuses(PASS, floatIntFloat, "not lossless");
        Model int64Float = single(17, DataType.INT64, Shape.of(4), DataType.DOUBLE, Shape.of(4),
                (g, x) -> g.nodeWith("Cast", new Attribute[] {cast(DataType.DOUBLE)},
                        g.nodeWith("Cast", new Attribute[] {cast(F)}, x)));
        assertRefuses(PASS, int64Float, "not lossless");
    }

    @Test
    void cast1StringTargetsAreRefused() {
        Model m = single(5, DataType.INT8, Shape.of(4), F, Shape.of(4),
                (g, x) -> g.nodeWith("Cast", new Attribute[] {Attribute.ofString("to", "FLOAT")},
                        g.nodeWith("Cast", new Attribute[] {Attribute.ofString("to", "INT32")}, x)));
        assertRefuses(PASS, m, "Cast-1");
    }

    @Test
    void losslessTableHoldsItsDocumentedEdges() {
        assertTrue(MergeChains.isLossless(DataType.BOOL, DataType.INT64));
        assertTrue(MergeChains.isLossless(DataType.UINT8, DataType.INT16));
        assertTrue(MergeChains.isLossless(DataType.FLOAT16, DataType.FLOAT));
        assertFalse(MergeChains.isLossless(DataType.INT64, DataType.FLOAT));
        assertFalse(MergeChains.isLossless(DataType.INT32, DataType.FLOAT));
        assertFalse(MergeChains.isLossless(DataType.FLOAT16, DataType.BFLOAT16));
        assertFalse(MergeChains.isLossless(DataType.INT8, DataType.UINT8));
        assertFalse(MergeChains.isLossless(DataType.UINT16, DataType.FLOAT16));
    }

    @Test
    void isRegisteredBeforeDeadCodeElimination() {
        var names = CleanupPasses.all().stream().map(p -> p.name()).toList();
        assertTrue(names.indexOf("merge-chains") >= 0 && names.indexOf("fuse-pad-into-conv") >= 0);
        assertEquals("eliminate-dead-code", names.get(names.size() - 1));
        assertEquals(Map.of(), PassManager.histogram(ChainTesting.model(17)));
    }
}
