package io.cachemode.operator.targets;

/**
 * A provider's record of one stored secret, for stores that do not reveal values (Fly.io). Any
 * field may be null when the provider did not return it.
 *
 * @param digest the digest the provider lists for the value (not reversible)
 * @param updatedAt when the provider says the secret last changed (RFC 3339)
 * @param secretsVersion the app's secrets version after the write, for machines that must boot with
 *     at least that version
 */
public record SecretVersion(String digest, String updatedAt, Long secretsVersion) {}
