package io.cachemode.operator.targets.fly;

import java.util.OptionalLong;

/**
 * What a machine must carry to count as updated for the change in progress.
 *
 * @param flagHash the flag hash the machine's config metadata must hold
 * @param minSecretsVersion the secrets version of the operator's latest write: a machine updated
 *     for the same hash with an older one (before a repair of someone else's change, or before the
 *     status that recorded its write was lost) must be updated again, or it keeps the value it
 *     booted with; empty when Fly returned no version
 */
record Change(String flagHash, OptionalLong minSecretsVersion) {}
