package io.mconv.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.InvalidOptionException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchSpecTest {

    @Test
    void parsesDimsAndActivationWithReluAsDefault() {
        ArchSpec a = ArchSpec.parse("mlp:768,512,768");
        assertEquals(List.of(768L, 512L, 768L), a.dims());
        assertEquals(ArchSpec.Activation.RELU, a.activation());
        assertEquals(2, a.layers());
        assertEquals(512, a.outFeatures(0));
        assertEquals(512, a.inFeatures(1));
        assertEquals("mlp:768,512,768:relu", a.toString());
        assertEquals(ArchSpec.Activation.GELU, ArchSpec.parse("mlp:8,4:GELU").activation());
        assertEquals(ArchSpec.Activation.NONE, ArchSpec.parse("mlp:8,16,4:none").activation());
        assertEquals(ArchSpec.parse("mlp:8,16,4:relu"), ArchSpec.parse("mlp:8, 16, 4"));
    }

    @Test
    void badValuesAreUsageErrorsNamingTheValueAndTheForm() {
        assertBad("cnn:3,8", "unknown architecture 'cnn'");
        assertBad("mlp", "expected mlp:");
        assertBad("mlp:768", "at least two dimensions");
        assertBad("mlp:768,x,2", "dimension 'x' is not a whole number");
        assertBad("mlp:768,0,2", "dimension 0 must be positive");
        assertBad("mlp:768,-4", "dimension -4 must be positive");
        assertBad("mlp:8,4:swish", "unknown activation 'swish'");
        assertBad("mlp:8,4:relu:extra", "expected mlp:");
        assertBad("mlp:8,,4", "dimension '' is not a whole number");
    }

    private static void assertBad(String text, String why) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ArchSpec.parse(text));
        assertTrue(e.getMessage().startsWith("--arch '" + text + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains(ArchSpec.FORM), e.getMessage());
    }
}
