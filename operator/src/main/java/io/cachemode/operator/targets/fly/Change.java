package io.cachemode.operator.targets.fly;

import java.util.OptionalLong;

/**
 * What a machine must carry to count as updated for the change in progress.
 *
 * @param flagHash the flag hash the machine's config metadata must hold
 * @param minSecretsVersion the secrets version of the operator's latest write: a machine updated
 *     for the same hash with an older one (before a repair of someone else's change) must be
 *     updated again, or it keeps the value it booted with; empty when Fly returned no version
 * @param writeOnRecord whether any write of the operator is on record (in status, or made in this
 *     reconcile). Without one (first contact, or a status that was lost) nothing says what a
 *     machine booted with, whatever its metadata says, so none carries the change.
 */
record Change(String flagHash, OptionalLong minSecretsVersion, boolean writeOnRecord) {}
