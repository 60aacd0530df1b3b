package dev.pixelbus.image.batch;

import dev.pixelbus.common.PathPolicy;

/**
 * What {@code pixelbus.image.batch} needs.
 *
 * @param maxBatches     batches that run at once; more get 503
 * @param workers        this node's image workers: a batch uses at most this many
 * @param maxInputBytes  the largest image file a batch reads (bytes mode reads them here)
 * @param chunkTimeoutMs bytes mode: how long a batch waits for a chunk's results before sending it again
 * @param bytesInFlight  bytes mode: chunks a batch has out at once, over every node of the cluster
 */
public record BatchSettings(PathPolicy paths, int maxBatches, int workers, long maxInputBytes, long chunkTimeoutMs,
                            int bytesInFlight) {
}
