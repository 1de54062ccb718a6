package io.cachemode.operator.targets;

/**
 * What the operator wrote and what the store recorded for it. Kept in status (the only record that
 * survives a restart, since Fly.io never returns values), and handed back to the target in later
 * reconciles so it can tell its own write from someone else's.
 *
 * @param value the canonical value written ("true" or "false"; not a secret)
 * @param writtenAt when it was written (RFC 3339)
 * @param version what the store recorded, empty fields for stores that reveal values
 */
public record WriteReceipt(String value, String writtenAt, SecretVersion version) {}
