package io.rollgate.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Token strings and their hashes. A managed token reads {@code rg_<id>_<secret>}: the id finds the row,
 * the secret is checked against a salted SHA-256 in constant time.
 */
public final class TokenSecrets {

    static final String PREFIX = "rg_";

    private TokenSecrets() {
    }

    /** A parsed token: the id and the secret part, or null when the string is not a managed token. */
    public record Parsed(UUID id, String secret) {
    }

    public static String format(UUID id, String secret) {
        return PREFIX + id.toString().replace("-", "") + "_" + secret;
    }

    public static Parsed parse(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() != PREFIX.length() + 32 + 1 + 43) {
            return null;
        }
        String hex = token.substring(PREFIX.length(), PREFIX.length() + 32);
        if (token.charAt(PREFIX.length() + 32) != '_') {
            return null;
        }
        try {
            byte[] bytes = HexFormat.of().parseHex(hex);
            long most = 0;
            long least = 0;
            for (int i = 0; i < 8; i++) {
                most = (most << 8) | (bytes[i] & 0xff);
                least = (least << 8) | (bytes[i + 8] & 0xff);
            }
            return new Parsed(new UUID(most, least), token.substring(PREFIX.length() + 33));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * 32 random bytes, base64url without padding: 43 characters. The generator is the caller's, made at run time:
     * one kept in a static field would be seeded once, when a native executable is built, and every process started
     * from it would mint the same secrets.
     */
    public static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return salt;
    }

    public static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    static boolean matches(ManagedToken token, String secret) {
        return MessageDigest.isEqual(token.secretHash(), hash(token.salt(), secret));
    }
}
