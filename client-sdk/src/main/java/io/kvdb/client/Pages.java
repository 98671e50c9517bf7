package io.kvdb.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A listing read page by page as an iteration goes, following {@code next_page_token} until a page
 * comes without one.
 *
 * @param <Q> the list request
 * @param <R> its response
 * @param <T> the items listed
 */
final class Pages<Q, R, T> implements Iterable<T> {
  private final Q first;
  private final Function<Q, CompletableFuture<R>> call;
  private final Function<R, List<T>> items;
  private final Function<R, String> nextPageToken;
  private final BiFunction<Q, String, Q> withPageToken;

  Pages(
      Q first,
      Function<Q, CompletableFuture<R>> call,
      Function<R, List<T>> items,
      Function<R, String> nextPageToken,
      BiFunction<Q, String, Q> withPageToken) {
    this.first = first;
    this.call = call;
    this.items = items;
    this.nextPageToken = nextPageToken;
    this.withPageToken = withPageToken;
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private Q next = first;
      private Iterator<T> page = List.<T>of().iterator();

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && next != null) {
          R response = Calls.await(call.apply(next));
          page = items.apply(response).iterator();
          String token = nextPageToken.apply(response);
          next = token.isEmpty() ? null : withPageToken.apply(next, token);
        }
        return page.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.next();
      }
    };
  }
}
