package io.cachemode.operator.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The client's JSON decoding, with one copy of each short string value it sees again and again.
 *
 * <p>The informer caches hold every managed object decoded, and most of their string values repeat
 * across objects: namespaces, kinds and API versions, condition types, reasons and statuses,
 * container images, the phases and reasons of each CacheMode's status history. Jackson gives every
 * value a new String, so at 1,000 apps the cached objects held 160,000 strings of which 28,000
 * differ, about 7 of the 42 MiB of live heap (bench/README.md, "Memory at 1,000 apps"). Field names
 * are shared already: Jackson canonicalizes them.
 *
 * <p>The table is lossy and bounded: a fixed array of slots, each holding the last string that
 * hashed there, so values that recur (the ones worth sharing) find their copy while values seen
 * once (uids, timestamps, resource versions) only replace each other. It never grows, needs no
 * eviction, and holds at most {@link #SLOTS} strings of at most {@link #MAX_LENGTH} characters.
 * Sharing cannot change what any value reads: strings are immutable and no code compares them by
 * identity.
 */
final class SharedStrings {
  /** Slots in the table, a power of two: about 16 KiB of references. */
  static final int SLOTS = 4096;

  /**
   * Longer values are kept as decoded: the ones that repeat are short names and words, and a long
   * value seen once (a message naming one app) would only push a recurring one out.
   */
  static final int MAX_LENGTH = 64;

  private final AtomicReferenceArray<String> slots = new AtomicReferenceArray<>(SLOTS);

  /** Fabric8's serialization with string values shared through one new table. */
  static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.registerModule(new SharedStrings().module());
    return new KubernetesSerialization(mapper, true);
  }

  SimpleModule module() {
    SimpleModule module = new SimpleModule("cachemode-shared-strings");
    module.addDeserializer(String.class, new Deserializer(this));
    return module;
  }

  /** The copy of {@code value} this table already holds, or {@code value}, now held. */
  String share(String value) {
    if (value == null || value.length() > MAX_LENGTH) {
      return value;
    }
    int h = value.hashCode();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String held = slots.getAcquire(slot);
    if (value.equals(held)) {
      return held;
    }
    slots.setRelease(slot, value);
    return value;
  }

  /**
   * Jackson's own String decoding (with its coercions), then the shared copy. Not marked as
   * Jackson's standard implementation, so lists and maps of strings call it for every element.
   */
  private static final class Deserializer extends StringDeserializer {
    private static final long serialVersionUID = 1L;
    private final transient SharedStrings table;

    Deserializer(SharedStrings table) {
      this.table = table;
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return table.share(super.deserialize(p, ctxt));
    }
  }
}
