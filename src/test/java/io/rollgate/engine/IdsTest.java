package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = { "customer-123", "3f0e0c44-7a0b-4b8e-9a49-1d1a2b3c4d5e", "org:acme.eu_1", "x" })
    void opaqueIdsAreAccepted(String id) {
        assertTrue(Ids.isValid(id));
        assertEquals(id, Ids.required("customerId", id));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "has space", "semi;colon", "quote'", "slash/", "ünï", "<script>" })
    void anythingElseIsRefusedNamingTheField(String id) {
        assertFalse(Ids.isValid(id));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Ids.optional("organizationId", id));
        assertEquals("organizationId", e.violations().get(0).field());
    }

    @Test
    void lengthIsBoundedAt128() {
        assertTrue(Ids.isValid("a".repeat(128)));
        assertFalse(Ids.isValid("a".repeat(129)));
    }

    @Test
    void absentIsFineUnlessRequired() {
        assertNull(Ids.optional("customerId", null));
        assertThrows(InvalidInputException.class, () -> Ids.required("customerId", null));
    }
}
