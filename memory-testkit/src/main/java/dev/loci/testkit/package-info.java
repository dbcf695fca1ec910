/** What users' own tests need: the exact reference store and the store contract suite. */
@NullMarked
package dev.loci.testkit;

import org.jspecify.annotations.NullMarked;
