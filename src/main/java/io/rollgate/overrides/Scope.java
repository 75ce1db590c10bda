package io.rollgate.overrides;

/** Who an override document belongs to; names the table and the id column (never caller input). */
public enum Scope {
    CUSTOMER("customer", "customer_feature_flags", "customer_id", "customerId"), ORGANIZATION("organization",
            "organization_feature_flags", "organization_id", "organizationId");

    private final String wireName;
    private final String table;
    private final String idColumn;
    private final String idField;

    Scope(String wireName, String table, String idColumn, String idField) {
        this.wireName = wireName;
        this.table = table;
        this.idColumn = idColumn;
        this.idField = idField;
    }

    public String wireName() {
        return wireName;
    }

    String table() {
        return table;
    }

    String idColumn() {
        return idColumn;
    }

    /** The request field or parameter that carries this scope's id. */
    public String idField() {
        return idField;
    }

    String cacheKey(String id) {
        return wireName + ":" + id;
    }
}
