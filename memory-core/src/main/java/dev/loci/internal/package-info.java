/**
 * Internals: not exported, may change at any time.
 */
@NullMarked
package dev.loci.internal;

import org.jspecify.annotations.NullMarked;
