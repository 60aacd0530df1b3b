package dev.pixelbus.fetch;

/**
 * What a fetch job asks of all its downloads.
 *
 * @param overwrite   replace files of the same name instead of taking the next free name
 * @param concurrency downloads at once
 * @param maxPerHost  downloads at once to one host (0: no cap beyond {@code concurrency}, as curl)
 * @param limitRate   bytes a second for the whole job (0: none)
 * @param resume      keep {@code NAME.part} of a download that stops, and ask for the rest next time
 * @param ifModified  send If-None-Match / If-Modified-Since for a file already there; 304 leaves it
 */
public record JobOptions(boolean overwrite, int concurrency, int maxPerHost, long limitRate, boolean resume,
                         boolean ifModified) {
}
