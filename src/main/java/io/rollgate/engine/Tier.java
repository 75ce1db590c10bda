package io.rollgate.engine;

/** The rollout tiers: what share of customers each one enables. */
public enum Tier {
    DISABLED(0, 0, "tier_0_disabled"), INTERNAL(1, 1, "tier_1_internal"), EARLY_ADOPTERS(2, 10,
            "tier_2_early_adopters"), GENERAL(3, 50, "tier_3_general"), FULL(4, 100, "tier_4_full");

    private final int number;
    private final int percentage;
    private final String wireName;

    Tier(int number, int percentage, String wireName) {
        this.number = number;
        this.percentage = percentage;
        this.wireName = wireName;
    }

    public int number() {
        return number;
    }

    /** The tier's nominal percentage; tier 1 enables the whitelist only, whatever its nominal 1 %. */
    public int percentage() {
        return percentage;
    }

    public String wireName() {
        return wireName;
    }

    public static Tier of(int number) {
        for (Tier tier : values()) {
            if (tier.number == number) {
                return tier;
            }
        }
        throw new IllegalArgumentException("no tier " + number);
    }

    /** The tier stored under this name, as the runbooks write it ({@code tier_2_early_adopters}). */
    public static Tier fromWire(String name) {
        for (Tier tier : values()) {
            if (tier.wireName.equals(name)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("no tier named " + name);
    }

    public boolean isLast() {
        return this == FULL;
    }

    public Tier next() {
        return isLast() ? this : of(number + 1);
    }
}
