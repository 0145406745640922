package intake

import (
	"sync"

	"truce"
)

// readers are what Read derives from an agreement, kept for the next
// document: an agreement does not change once its actors are resolved
// (truce.Agreement.ResolveActor), and a server reads every document
// against the same one (a new one after each accession).
type readers struct {
	agreement *truce.Agreement
	sides     *sideResolver
	actors    func() *actorIndex
}

// maxCached bounds the agreements whose readers are kept.
const maxCached = 8

var cache struct {
	sync.Mutex
	recent []*readers // most recently used last
}

func readersOf(a *truce.Agreement) *readers {
	cache.Lock()
	defer cache.Unlock()
	for i, r := range cache.recent {
		if r.agreement == a {
			copy(cache.recent[i:], cache.recent[i+1:])
			cache.recent[len(cache.recent)-1] = r
			return r
		}
	}
	r := &readers{agreement: a, sides: newSideResolver(a), actors: sync.OnceValue(func() *actorIndex { return newActorIndex(a) })}
	if len(cache.recent) == maxCached {
		cache.recent = cache.recent[1:]
	}
	cache.recent = append(cache.recent, r)
	return r
}
