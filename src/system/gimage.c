/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gimage.c: a guest's ext2/3/4 root image, read-only and unmounted,
 * through libext2fs (e2fsprogs), as the struct gfs gcheck.c reads.
 *
 * The image is untrusted: probe.c calls this only in a child that has
 * become USER (the image's owner) with no privileges, so a flaw in the
 * library reached through a crafted image gains nothing USER lacks.
 * Paths resolve inside the image: an absolute link points to the image's
 * own root (ext2fs_namei_follow), never the host's.
 */
#include <stdio.h>
#include <string.h>

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include "gcheck.h"
#include "system.h"

static ext2_ino_t
lookup(ext2_filsys fs, const char *path, bool follow)
{
	ext2_ino_t ino;
	errcode_t e;

	e = follow ? ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO,
	    path, &ino) : ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path,
	    &ino);
	return e ? 0 : ino;
}

static long
file_read(ext2_filsys fs, ext2_ino_t ino, char *buf, size_t len)
{
	ext2_file_t f;
	unsigned int got = 0;
	errcode_t e;

	if (ext2fs_file_open(fs, ino, 0, &f))
		return -1;
	e = ext2fs_file_read(f, buf, (unsigned int)len, &got);
	ext2fs_file_close(f);
	return e ? -1 : (long)got;
}

static long
img_read(void *arg, const char *path, char *buf, size_t len)
{
	ext2_filsys fs = arg;
	struct ext2_inode in;
	ext2_ino_t ino = lookup(fs, path, true);

	if (!ino || ext2fs_read_inode(fs, ino, &in) ||
	    !LINUX_S_ISREG(in.i_mode))
		return -1;
	return file_read(fs, ino, buf, len);
}

static int
img_link(void *arg, const char *path, char *buf, size_t len)
{
	ext2_filsys fs = arg;
	struct ext2_inode in;
	ext2_ino_t ino = lookup(fs, path, false);
	size_t n;
	long r;

	if (!ino || ext2fs_read_inode(fs, ino, &in) ||
	    !LINUX_S_ISLNK(in.i_mode) || len == 0)
		return -1;
	n = EXT2_I_SIZE(&in) < len - 1 ? EXT2_I_SIZE(&in) : len - 1;
	if (ext2fs_is_fast_symlink(&in)) {
		n = n < sizeof(in.i_block) ? n : sizeof(in.i_block);
		memcpy(buf, in.i_block, n);
	} else {
		/* Blocks or inline data: ext2fs_file_read reads either, and at
		 * most n bytes. */
		if ((r = file_read(fs, ino, buf, n)) < 0)
			return -1;
		n = (size_t)r;
	}
	buf[n] = '\0';
	return 0;
}

static bool
img_exists(void *arg, const char *path)
{
	return lookup(arg, path, true) != 0;
}

struct lister {
	void (*fn)(void *, const char *);
	void *farg;
	unsigned n;
};

static int
one_entry(struct ext2_dir_entry *d, int off, int bsize, char *buf, void *arg)
{
	struct lister *l = arg;
	char name[EXT2_NAME_LEN + 1];
	int n = ext2fs_dirent_name_len(d);

	memcpy(name, d->name, (size_t)n);
	name[n] = '\0';
	if (strcmp(name, ".") && strcmp(name, "..") && strlen(name) ==
	    (size_t)n)
		l->fn(l->farg, name);
	return ++l->n >= GC_NAMES_MAX * 4 ? DIRENT_ABORT : 0;
}

static int
img_list(void *arg, const char *path, void (*fn)(void *, const char *),
    void *farg)
{
	ext2_filsys fs = arg;
	struct lister l = { fn, farg, 0 };
	ext2_ino_t ino = lookup(fs, path, true);

	if (!ino || ext2fs_check_directory(fs, ino))
		return -1;
	return ext2fs_dir_iterate(fs, ino, 0, NULL, one_entry, &l) ? -1 : 0;
}

int
gimage_check(const char *image, const char *init, bool swap,
    gc_report *report, void *rarg, char *err, size_t errlen)
{
	ext2_filsys fs;
	struct gfs g = { img_read, img_link, img_exists, img_list, NULL };
	enum gc_level lv;
	errcode_t e;

	e = ext2fs_open(image, EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &fs);
	if (e) {
		snprintf(err, errlen, "%s: not an ext2/3/4 file system umlctl "
		    "can read (%s)", image, error_message(e));
		return -1;
	}
	g.arg = fs;
	lv = gcheck_guest(&g, init, swap, report, rarg);
	ext2fs_close_free(&fs);
	return (int)lv;
}
