package dev.pixelbus.image.chunk;

import dev.pixelbus.api.Addresses;

/** The image module's own addresses between its parts: not in the contract, and refused by the bridges. */
public final class ChunkAddresses {
  /** A chunk of a batch's files for this node's workers (through the dispatcher). */
  public static final String FILES = Addresses.IMAGE_BATCH + ".chunk";
  /**
   * A chunk of a batch that carries its images (a binary frame), served by the dispatcher of every
   * node of a cluster, so that any node's workers can take a share.
   */
  public static final String BYTES = Addresses.IMAGE_BATCH + ".bytes";
  /** Image workers announce their private address here, to their node's dispatcher. */
  public static final String WORKER_REGISTER = Addresses.IMAGE + "worker.register";
  /** The prefix of each worker's private address. */
  public static final String WORKER_PREFIX = Addresses.IMAGE + "worker.";

  private ChunkAddresses() {
  }

  /** The chunks of images for one node's dispatcher, so that a batch knows where each chunk went. */
  public static String bytesOn(String nodeId) {
    return BYTES + "." + nodeId;
  }
}
