package dev.pixelbus.grpc;

/**
 * Where each ended call of Images and Fetch is told: its method, the status it ended with and how long it took.
 * The web module records them in /metrics; this module knows nothing of metrics.
 */
@FunctionalInterface
public interface CallRecorder {
  CallRecorder NONE = (method, status, nanos) -> {
  };

  /**
   * @param method the full method name ({@code pixelbus.v1.Images/Apply})
   * @param status the status name the call ended with ({@code OK}, {@code RESOURCE_EXHAUSTED}, {@code CANCELLED} ...)
   * @param nanos  from the call's arrival to its end
   */
  void ended(String method, String status, long nanos);
}
