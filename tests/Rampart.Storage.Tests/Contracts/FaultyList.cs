using System.Collections;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>A batch that runs <c>fault</c> when the item at <c>failAt</c> is read: a failure in the middle of an append.</summary>
public sealed class FaultyList<T>(IReadOnlyList<T> items, int failAt, Action fault) : IReadOnlyList<T>
{
    public int Count => items.Count;

    public T this[int index]
    {
        get
        {
            if (index == failAt)
            {
                fault();
            }

            return items[index];
        }
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
