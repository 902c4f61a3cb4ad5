// The collections of this assembly each break a whole system on purpose and load the machine; one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
