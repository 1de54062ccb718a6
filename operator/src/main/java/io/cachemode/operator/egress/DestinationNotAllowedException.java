package io.cachemode.operator.egress;

import java.net.UnknownHostException;

/**
 * Thrown by the policy's DNS hook and its sockets instead of connecting. It extends {@link
 * UnknownHostException} because that is the one checked exception OkHttp's {@code Dns} may throw;
 * callers that report failures should test for this type before {@code UnknownHostException}.
 */
public final class DestinationNotAllowedException extends UnknownHostException {
  private static final long serialVersionUID = 1L;

  private final transient Refusal refusal;

  public DestinationNotAllowedException(Refusal refusal) {
    super(refusal.message());
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
