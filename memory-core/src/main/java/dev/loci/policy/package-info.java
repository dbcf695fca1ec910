/**
 * What a researcher replaces: the policies the scheduler runs.
 *
 * <pre>{@code
 * PromotionPolicy eager = (record, trigger, now) -> PromotionPolicy.Decision.PROMOTE;
 * Memory memory = Loci.builder().directory(dir).promotionPolicy(eager).build();
 * }</pre>
 */
@NullMarked
package dev.loci.policy;

import org.jspecify.annotations.NullMarked;
