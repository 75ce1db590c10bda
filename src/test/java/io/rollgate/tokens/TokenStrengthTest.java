package io.rollgate.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which configured tokens production refuses to start with. */
class TokenStrengthTest {

    @Test
    void placeholdersAreRefusedWhateverTheirLength() {
        assertTrue(TokenStrength.problem("change-me-to-a-long-random-value").orElseThrow().contains("placeholder"));
        assertTrue(TokenStrength.problem("CHANGEME0123456789abcdef0123456789").orElseThrow().contains("placeholder"));
        assertTrue(TokenStrength.problem("dev-admin-token-change-me").orElseThrow().contains("placeholder"));
    }

    @Test
    void shortOrRepetitiveTokensAreRefusedAndLongRandomOnesPass() {
        assertTrue(TokenStrength.problem("a1b2c3d4e5f6a7b8c9d0").orElseThrow().contains("shorter than 32"));
        assertTrue(TokenStrength.problem("a".repeat(64)).orElseThrow().contains("random"));
        assertEquals(Optional.empty(), TokenStrength.problem("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c"));
    }
}
