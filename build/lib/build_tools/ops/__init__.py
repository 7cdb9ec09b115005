"""Operations beside the flow: the benchmark, the Lighthouse run and the scheduled DOI check."""
