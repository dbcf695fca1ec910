/** Runnable examples of Loci; {@link dev.loci.examples.Demo} is the README's demo. */
@NullMarked
package dev.loci.examples;

import org.jspecify.annotations.NullMarked;
