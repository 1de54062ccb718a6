package io.cachemode.operator.targets.fly;

import java.util.OptionalLong;

/**
 * What a machine must carry to count as updated for the change in progress.
 *
 * @param flagHash the flag hash the machine's config metadata must hold
 * @param minSecretsVersion the secrets version of the operator's latest write: a machine updated
 *     for the same hash with an older one (before a repair of someone else's change) must be
 *     updated again, or it keeps the value it booted with; empty when Fly returned no version
 * @param awaitingWrite the flag is about to be written (it was missing, or its value unknown), so
 *     no machine carries the change yet, whatever its metadata says
 */
record Change(String flagHash, OptionalLong minSecretsVersion, boolean awaitingWrite) {

  static Change of(String flagHash, OptionalLong minSecretsVersion) {
    return new Change(flagHash, minSecretsVersion, false);
  }

  static Change beforeWrite(String flagHash) {
    return new Change(flagHash, OptionalLong.empty(), true);
  }
}
