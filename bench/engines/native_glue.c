/* Glue of the native timing driver: a native guest needs no preparation. */
void bench_instantiate(void);
void bench_instantiate(void)
{
}
