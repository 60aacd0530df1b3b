/**
 * The pixelbus contract: what another application needs to call pixelbus over the event bus, in
 * this JVM or across a cluster, and nothing of how pixelbus does it.
 *
 * <ul>
 *   <li>{@link dev.pixelbus.api.ImageService}: the typed API, a Vert.x service proxy;</li>
 *   <li>{@link dev.pixelbus.api.Addresses} and {@link dev.pixelbus.api.ImageOp}: the language-neutral
 *       contract, a JSON request to one address per operation (what the bridges, HTTP and Python use);</li>
 *   <li>{@link dev.pixelbus.api.ErrorCode} and {@link dev.pixelbus.api.PixelbusException}: the codes every
 *       failure carries.</li>
 * </ul>
 */
@ModuleGen(name = "pixelbus", groupPackage = "dev.pixelbus")
package dev.pixelbus.api;

import io.vertx.codegen.annotations.ModuleGen;
